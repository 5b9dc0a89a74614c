"""Product media outside the domain: where the bytes are kept (storage.py), how an upload
is decoded (images.py), and how the local storage's objects are served (serving.py)."""
