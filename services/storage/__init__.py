"""Stored files: content kept once by SHA-256 (blobs), quotas, renames, comments, share links,
resumable uploads, avatars."""
