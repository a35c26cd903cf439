"""The FTP/FTPS client ftpgram speaks to stations with, and the receiving of a file into a
partial file (resumable, hashed as it arrives)."""
