"""The load test (bash loadtest/run): simulated people, and the checks after the run."""
