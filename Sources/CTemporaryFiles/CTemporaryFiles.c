#define _GNU_SOURCE
#include "CTemporaryFiles.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { SLOT_COUNT = 64, PATH_CAPACITY = 4096 };
enum { FREE = 0, FILLING = 1, ACTIVE = 2 };
enum { KIND_FILE = 0, KIND_FOLDER = 1 };
/// Run folders hold bundle/, charts/, tables/, selection/: a few levels. Deeper trees are left (never ours).
enum { FOLDER_DEPTH_LIMIT = 16 };

static _Atomic int states[SLOT_COUNT];
static int kinds[SLOT_COUNT];
static char paths[SLOT_COUNT][PATH_CAPACITY];
static atomic_flag installed = ATOMIC_FLAG_INIT;

static int register_path(const char *path, int kind) {
    size_t length = strlen(path);
    if (length >= PATH_CAPACITY) return -1;
    for (int slot = 0; slot < SLOT_COUNT; slot++) {
        int expected = FREE;
        if (atomic_compare_exchange_strong(&states[slot], &expected, FILLING)) {
            memcpy(paths[slot], path, length + 1);
            kinds[slot] = kind;
            atomic_store(&states[slot], ACTIVE);
            return slot;
        }
    }
    return -1;
}

int sk_temporary_register(const char *path) { return register_path(path, KIND_FILE); }

int sk_temporary_register_folder(const char *path) { return register_path(path, KIND_FOLDER); }

void sk_temporary_unregister(int slot) {
    if (slot < 0 || slot >= SLOT_COUNT) return;
    atomic_store(&states[slot], FREE);
}

int sk_temporary_count(void) {
    int count = 0;
    for (int slot = 0; slot < SLOT_COUNT; slot++) count += atomic_load(&states[slot]) == ACTIVE;
    return count;
}

/// The layout the kernel's getdents64 fills in (glibc does not declare it).
struct linux_dirent64 {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/// Empties the folder open as `folder` (closing it), using only async-signal-safe calls: opendir/readdir
/// allocate, so entries are read with the raw getdents64 system call into a stack buffer. Symbolic links are
/// unlinked, never followed (O_NOFOLLOW), so nothing outside the temporary folder is touched.
static void empty_folder(int folder, int depth) {
    char buffer[4096];
    for (;;) {
        long count = syscall(SYS_getdents64, folder, buffer, sizeof buffer);
        if (count <= 0) break;
        for (long offset = 0; offset < count;) {
            struct linux_dirent64 *entry = (struct linux_dirent64 *)(buffer + offset);
            offset += entry->d_reclen;
            const char *name = entry->d_name;
            if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
            if (unlinkat(folder, name, 0) == 0) continue;
            if (depth >= FOLDER_DEPTH_LIMIT) continue;
            int child = openat(folder, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (child < 0) continue;
            empty_folder(child, depth + 1);
            unlinkat(folder, name, AT_REMOVEDIR);
        }
    }
    close(folder);
}

static void remove_folder(const char *path) {
    int folder = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (folder >= 0) empty_folder(folder, 0);
    rmdir(path);
}

static void remove_and_exit(int signal_number) {
    for (int slot = 0; slot < SLOT_COUNT; slot++) {
        if (atomic_load(&states[slot]) != ACTIVE) continue;
        if (kinds[slot] == KIND_FOLDER) remove_folder(paths[slot]);
        else unlink(paths[slot]);
    }
    _exit(128 + signal_number);
}

void sk_temporary_install_signal_handlers(void) {
    if (atomic_flag_test_and_set(&installed)) return;
    static const int signals[] = {SIGINT, SIGTERM, SIGPIPE, SIGHUP};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action, previous;
        // A signal ignored at start-up (nohup, a background job) stays ignored, as the shell asked.
        if (sigaction(signals[i], NULL, &previous) == 0 && previous.sa_handler == SIG_IGN) continue;
        memset(&action, 0, sizeof action);
        action.sa_handler = remove_and_exit;
        sigfillset(&action.sa_mask);  // no second signal runs the handler again half-way
        sigaction(signals[i], &action, NULL);
    }
}
