"""Repository-wide pytest setup: collect the policy tests beside each bundled policy."""

pytest_plugins = ["policykit.pytest_plugin"]
