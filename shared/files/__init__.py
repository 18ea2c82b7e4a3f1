"""Files that users attach to a service's objects (applications, reports, cases).

- :mod:`shared.files.store`: where the bytes live, behind the :class:`FileStore` protocol
  (a private folder under the service's data folder on the embedded default);
- :mod:`shared.files.content`: what a file is, told by its first bytes (and, for office
  documents, by the parts of its zip archive), never by its name or declared type;
- :mod:`shared.files.names`: file names made safe to store, show and offer for download;
- :mod:`shared.files.upload`: a ``multipart/form-data`` upload read as it streams in, into
  an unlinked temporary file, with the size limit kept on the way;
- :mod:`shared.files.download`: the streamed answer with ``Content-Disposition``.

Files never pass through Temporal or NATS: the owning service stores them, and what the
rest of the system may learn is an attachment's id.
"""
