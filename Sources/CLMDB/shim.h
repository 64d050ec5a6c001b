#ifndef VOICE_CLMDB_SHIM_H
#define VOICE_CLMDB_SHIM_H
#include <lmdb.h>
#endif
