#ifndef LOOM_CLIBFUZZER_H
#define LOOM_CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt FuzzerInterface.h, LLVM 11+): runs the fuzzing loop with the
/// command line's options, calling `callback` with each input. SwiftPM names an executable's
/// entry point `<module>_main`; each fuzz target defines it and calls this, since
/// `-parse-as-library` leaves no `main` of its own and libFuzzer's `main` is not linked then.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
