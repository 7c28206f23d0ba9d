"""Readers and writers: files, stdin/stdout, formats. The core never imports from here."""
