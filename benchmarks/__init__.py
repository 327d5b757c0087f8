"""Scale benchmark (not a test): synthetic corpus generator, the std-table generator shared with the tests, runner."""
