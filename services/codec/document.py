"""What the codec server's OpenAPI document says of its request bodies.

``/decode`` and ``/encode`` read their body themselves (``app._payloads``: a depth limit
before protobuf parses it), so FastAPI cannot derive its schema; it is written here.
"""

from __future__ import annotations

from typing import Any

#: The body of /decode and /encode as the document shows it (read by ``_payloads``).
PAYLOADS_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["payloads"],
                    "properties": {
                        "payloads": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "metadata": {
                                        "type": "object",
                                        "additionalProperties": {
                                            "type": "string",
                                            "contentEncoding": "base64",
                                        },
                                    },
                                    "data": {"type": "string", "contentEncoding": "base64"},
                                },
                            },
                        }
                    },
                }
            }
        },
    }
}
