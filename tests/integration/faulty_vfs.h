#pragma once

// A SQLite VFS for tests that wraps the default one and makes reads of the main database file fail with a
// chosen result code, from a chosen offset on: the I/O error, busy file or exhausted memory that a real
// disk, lock or machine produces now and then, at a page the test picks. Everything else is passed through
// to the real VFS (SQLCipher encrypts above it, so the pages it sees are the encrypted ones).
//
// install() registers it as the default VFS of the process, so code that opens databases normally goes
// through it; arm() and disarm() switch the fault; reads() counts the faults delivered.

namespace odis::test {

class FaultyVfs
{
public:
    // Registers the VFS as the process default (once); false when SQLite refused.
    static bool install();
    // Reads of main database files at or beyond `fromOffset` answer `resultCode` (e.g. SQLITE_IOERR_READ).
    static void arm(long long fromOffset, int resultCode);
    static void disarm();
    [[nodiscard]] static int faultsDelivered();
};

} // namespace odis::test
