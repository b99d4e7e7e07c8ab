#include "CTemporaryFiles.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

enum { SLOT_COUNT = 64, PATH_CAPACITY = 4096 };
enum { FREE = 0, FILLING = 1, ACTIVE = 2 };

static _Atomic int states[SLOT_COUNT];
static char paths[SLOT_COUNT][PATH_CAPACITY];
static atomic_flag installed = ATOMIC_FLAG_INIT;

int sk_temporary_register(const char *path) {
    size_t length = strlen(path);
    if (length >= PATH_CAPACITY) return -1;
    for (int slot = 0; slot < SLOT_COUNT; slot++) {
        int expected = FREE;
        if (atomic_compare_exchange_strong(&states[slot], &expected, FILLING)) {
            memcpy(paths[slot], path, length + 1);
            atomic_store(&states[slot], ACTIVE);
            return slot;
        }
    }
    return -1;
}

void sk_temporary_unregister(int slot) {
    if (slot < 0 || slot >= SLOT_COUNT) return;
    atomic_store(&states[slot], FREE);
}

int sk_temporary_count(void) {
    int count = 0;
    for (int slot = 0; slot < SLOT_COUNT; slot++) count += atomic_load(&states[slot]) == ACTIVE;
    return count;
}

static void remove_and_exit(int signal_number) {
    for (int slot = 0; slot < SLOT_COUNT; slot++) {
        if (atomic_load(&states[slot]) == ACTIVE) unlink(paths[slot]);
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
