#ifndef C_TEMPORARY_FILES_H
#define C_TEMPORARY_FILES_H

/// A registry of temporary files that a fatal signal removes before the process exits.
///
/// Written in C because a signal handler may only call async-signal-safe functions (unlink, _exit) and must
/// not allocate or take locks, which Swift code cannot promise. Paths are copied into fixed slots.

/// Copies `path` into a free slot; returns the slot, or -1 when every slot is taken or the path is too long.
int sk_temporary_register(const char *path);

/// Like `sk_temporary_register`, for a temporary folder: a fatal signal removes it and everything in it
/// (symbolic links inside are removed, not followed).
int sk_temporary_register_folder(const char *path);

/// Frees a slot returned by `sk_temporary_register` (a negative slot is ignored).
void sk_temporary_unregister(int slot);

/// Installs handlers for SIGINT, SIGTERM, SIGPIPE and SIGHUP that remove every registered file and folder and exit with
/// status 128 + the signal number (130, 143, 141, 129). Idempotent.
void sk_temporary_install_signal_handlers(void);

/// How many slots are in use (for tests).
int sk_temporary_count(void);

#endif
