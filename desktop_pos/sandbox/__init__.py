"""The embedded default: what demo mode and the self-test run against on one machine."""
