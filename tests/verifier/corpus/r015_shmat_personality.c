// EXPECT: KML-R002 KML-R015
// Executable memory by other means: a System V segment attached with
// SHM_EXEC, and READ_IMPLIES_EXEC (every readable mapping becomes executable).
#define _GNU_SOURCE
#include <sys/personality.h>
#include <sys/shm.h>

int attach(int id) { return shmat(id, 0, SHM_RDONLY | SHM_EXEC) != 0; }

int legacy(void) { return personality(PER_LINUX | READ_IMPLIES_EXEC); }
