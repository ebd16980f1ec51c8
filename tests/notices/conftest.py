from tests.workflow.conftest import world  # noqa: F401  (the Americas and a secret Spain, for sections)
