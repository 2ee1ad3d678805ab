import Foundation

/// The server's own signal disposition. A parent may start it with SIGTERM or SIGINT blocked
/// (the Swift test runner does, and children inherit the mask); graceful shutdown depends on
/// receiving them, so unblock them in this thread and every thread started after.
enum ServerSignals {
    static func unblock() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
