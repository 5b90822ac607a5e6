from tests.sandbox_gateway import (  # noqa: F401
    sandbox_gateway,
    sandbox_gateway_factory,
    shared_sandbox_gateway,
)
