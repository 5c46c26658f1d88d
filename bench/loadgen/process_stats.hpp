// CPU time and resident memory of a process (all its threads), read from /proc.
#pragma once

#include <sys/types.h>

namespace parley::bench {

struct ProcessStats {
  double cpu_seconds = 0;  // user + system time since the process started
  double rss_kb = 0;       // resident set size now
  bool ok = false;
};

ProcessStats read_process_stats(pid_t pid);

}  // namespace parley::bench
