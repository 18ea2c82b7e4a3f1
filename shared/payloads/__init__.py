"""Encrypted Temporal payloads: the codec every WIR process's data converter uses, and
where its keys come from. The codec server that decodes for operators is its own process
(``services/codec``)."""
