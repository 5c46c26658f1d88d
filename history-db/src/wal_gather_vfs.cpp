#include "wal_gather_vfs.hpp"

#include <sqlite3.h>

#include <cstring>
#include <mutex>
#include <new>
#include <string>

namespace parley::history {

namespace {

constexpr std::size_t kMaxGathered = 8u << 20;  // a larger run is written at once
constexpr std::size_t kMaxWrite = 124u << 10;     // the most one platform write takes

sqlite3_vfs* root_vfs = nullptr;

struct GatherFile {
  sqlite3_file base;   // must come first: SQLite sees this
  sqlite3_file* real;  // the platform's file, allocated right after this struct
  bool is_wal;
  std::string* pending;  // gathered bytes, to be written at `pending_offset`
  sqlite3_int64 pending_offset;
};

GatherFile* as_gather(sqlite3_file* f) { return reinterpret_cast<GatherFile*>(f); }

int flush(GatherFile* g) {
  if (!g->pending || g->pending->empty()) return SQLITE_OK;
  // The unix VFS writes at most 128 KiB per call (it masks the length with 0x1ffff), so a
  // long run goes down in pieces just under that.
  const char* data = g->pending->data();
  std::size_t left = g->pending->size();
  sqlite3_int64 offset = g->pending_offset;
  int rc = SQLITE_OK;
  while (left > 0 && rc == SQLITE_OK) {
    const std::size_t piece = left < kMaxWrite ? left : kMaxWrite;
    rc = g->real->pMethods->xWrite(g->real, data, static_cast<int>(piece), offset);
    data += piece;
    offset += static_cast<sqlite3_int64>(piece);
    left -= piece;
  }
  g->pending->clear();
  return rc;
}

int x_close(sqlite3_file* f) {
  auto* g = as_gather(f);
  const int flushed = flush(g);
  const int rc = g->real->pMethods->xClose(g->real);
  delete g->pending;
  g->pending = nullptr;
  return flushed != SQLITE_OK ? flushed : rc;
}

int x_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  auto* g = as_gather(f);
  if (const int rc = flush(g); rc != SQLITE_OK) return rc;
  return g->real->pMethods->xRead(g->real, out, amount, offset);
}

int x_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  auto* g = as_gather(f);
  if (!g->is_wal) return g->real->pMethods->xWrite(g->real, data, amount, offset);
  auto& p = *g->pending;
  if (!p.empty() && offset != g->pending_offset + static_cast<sqlite3_int64>(p.size())) {
    // Not the next byte (a frame rewritten, or the log restarting at its head): what is
    // gathered goes first, so writes reach the file in the order SQLite made them.
    if (const int rc = flush(g); rc != SQLITE_OK) return rc;
  }
  if (p.empty()) g->pending_offset = offset;
  p.append(static_cast<const char*>(data), static_cast<std::size_t>(amount));
  return p.size() >= kMaxGathered ? flush(g) : SQLITE_OK;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  auto* g = as_gather(f);
  if (const int rc = flush(g); rc != SQLITE_OK) return rc;
  return g->real->pMethods->xTruncate(g->real, size);
}

int x_sync(sqlite3_file* f, int flags) {
  auto* g = as_gather(f);
  if (const int rc = flush(g); rc != SQLITE_OK) return rc;
  return g->real->pMethods->xSync(g->real, flags);
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  auto* g = as_gather(f);
  if (const int rc = flush(g); rc != SQLITE_OK) return rc;
  return g->real->pMethods->xFileSize(g->real, size);
}

int x_lock(sqlite3_file* f, int level) {
  auto* g = as_gather(f);
  return g->real->pMethods->xLock(g->real, level);
}

int x_unlock(sqlite3_file* f, int level) {
  auto* g = as_gather(f);
  return g->real->pMethods->xUnlock(g->real, level);
}

int x_check_reserved_lock(sqlite3_file* f, int* out) {
  auto* g = as_gather(f);
  return g->real->pMethods->xCheckReservedLock(g->real, out);
}

int x_file_control(sqlite3_file* f, int op, void* arg) {
  auto* g = as_gather(f);
  if (const int rc = flush(g); rc != SQLITE_OK) return rc;
  return g->real->pMethods->xFileControl(g->real, op, arg);
}

int x_sector_size(sqlite3_file* f) {
  auto* g = as_gather(f);
  return g->real->pMethods->xSectorSize(g->real);
}

int x_device_characteristics(sqlite3_file* f) {
  auto* g = as_gather(f);
  return g->real->pMethods->xDeviceCharacteristics(g->real);
}

int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  auto* g = as_gather(f);
  return g->real->pMethods->xShmMap(g->real, region, size, extend, out);
}

int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  auto* g = as_gather(f);
  return g->real->pMethods->xShmLock(g->real, offset, n, flags);
}

void x_shm_barrier(sqlite3_file* f) {
  auto* g = as_gather(f);
  g->real->pMethods->xShmBarrier(g->real);
}

int x_shm_unmap(sqlite3_file* f, int remove) {
  auto* g = as_gather(f);
  return g->real->pMethods->xShmUnmap(g->real, remove);
}

int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  auto* g = as_gather(f);
  if (const int rc = flush(g); rc != SQLITE_OK) return rc;
  return g->real->pMethods->xFetch(g->real, offset, amount, out);
}

int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  auto* g = as_gather(f);
  return g->real->pMethods->xUnfetch(g->real, offset, page);
}

const sqlite3_io_methods kMethods = {
    3,          x_close,      x_read,         x_write,
    x_truncate, x_sync,       x_file_size,    x_lock,
    x_unlock,   x_check_reserved_lock, x_file_control, x_sector_size,
    x_device_characteristics, x_shm_map, x_shm_lock, x_shm_barrier,
    x_shm_unmap, x_fetch, x_unfetch};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* g = as_gather(f);
  g->base.pMethods = nullptr;
  g->real = reinterpret_cast<sqlite3_file*>(g + 1);
  g->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  g->pending = nullptr;
  g->pending_offset = 0;
  const int rc = root_vfs->xOpen(root_vfs, name, g->real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  if (g->real->pMethods == nullptr || g->real->pMethods->iVersion < 3) {
    // A platform VFS this shim does not know how to wrap: nothing to gather then.
    g->real->pMethods->xClose(g->real);
    return SQLITE_CANTOPEN;
  }
  g->pending = new (std::nothrow) std::string();
  if (!g->pending) {
    g->real->pMethods->xClose(g->real);
    return SQLITE_NOMEM;
  }
  g->base.pMethods = &kMethods;
  return SQLITE_OK;
}

int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return root_vfs->xDelete(root_vfs, name, sync_dir);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return root_vfs->xAccess(root_vfs, name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return root_vfs->xFullPathname(root_vfs, name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return root_vfs->xDlOpen(root_vfs, name); }
void x_dl_error(sqlite3_vfs*, int n, char* out) { root_vfs->xDlError(root_vfs, n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* h, const char* sym))(void) {
  return root_vfs->xDlSym(root_vfs, h, sym);
}
void x_dl_close(sqlite3_vfs*, void* h) { root_vfs->xDlClose(root_vfs, h); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return root_vfs->xRandomness(root_vfs, n, out); }
int x_sleep(sqlite3_vfs*, int micros) { return root_vfs->xSleep(root_vfs, micros); }
int x_current_time(sqlite3_vfs*, double* out) { return root_vfs->xCurrentTime(root_vfs, out); }
int x_get_last_error(sqlite3_vfs*, int n, char* out) {
  return root_vfs->xGetLastError ? root_vfs->xGetLastError(root_vfs, n, out) : 0;
}
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return root_vfs->xCurrentTimeInt64(root_vfs, out);
}

sqlite3_vfs vfs{};
constexpr const char* kName = "parley-wal-gather";

}  // namespace

const char* wal_gather_vfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    root_vfs = sqlite3_vfs_find(nullptr);
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(sizeof(GatherFile)) + root_vfs->szOsFile;
    vfs.mxPathname = root_vfs->mxPathname;
    vfs.zName = kName;
    vfs.xOpen = x_open;
    vfs.xDelete = x_delete;
    vfs.xAccess = x_access;
    vfs.xFullPathname = x_full_pathname;
    vfs.xDlOpen = x_dl_open;
    vfs.xDlError = x_dl_error;
    vfs.xDlSym = x_dl_sym;
    vfs.xDlClose = x_dl_close;
    vfs.xRandomness = x_randomness;
    vfs.xSleep = x_sleep;
    vfs.xCurrentTime = x_current_time;
    vfs.xGetLastError = x_get_last_error;
    vfs.xCurrentTimeInt64 = x_current_time_int64;
    sqlite3_vfs_register(&vfs, 0);
  });
  return kName;
}

}  // namespace parley::history
