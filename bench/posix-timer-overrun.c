// Why a Go CPU profile covers less than the service's CPU (bench/profile-coverage.ts measures that): Go's
// profiler (runtime/os_linux.go setThreadCPUProfiler, Go >= 1.18) gives each thread a timer_create timer on
// CLOCK_THREAD_CPUTIME_ID with a 10 ms interval and counts ONE sample per SIGPROF; it never reads
// si_overrun. This program arms the same timers on THREADS threads that burn BURST_US of CPU, then sleep
// SLEEP_US, and prints the CPU the threads used, the signals delivered (x 10 ms) and the overruns the kernel
// reported: when threads run in short bursts on a shared core, expiries are coalesced, and only counting
// the overruns restores the CPU. Not a test (figures depend on the kernel and the machine's load).
// Build and run: gcc -O2 -pthread -o /tmp/ovr bench/posix-timer-overrun.c -lrt && taskset -c 0 /tmp/ovr 4 5 500 200
// Usage: ovr THREADS SECONDS BURST_US SLEEP_US
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <stdatomic.h>
static atomic_long sigs, overruns;
static __thread timer_t tid_timer;
static void h(int s, siginfo_t *si, void *u) { (void)s; (void)u; sigs++; overruns += si->si_overrun; }
static double now(clockid_t c) { struct timespec t; clock_gettime(c, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static int secs, burst, slp;
static double cpu[64];
static void *work(void *arg) {
  long i = (long)arg;
  struct sigevent sev = {0};
  sev.sigev_notify = SIGEV_THREAD_ID; sev.sigev_signo = SIGPROF; sev._sigev_un._tid = syscall(SYS_gettid);
  timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &tid_timer);
  struct itimerspec its = {{0, 10000000}, {0, 1 + rand() % 10000000}};
  timer_settime(tid_timer, 0, &its, NULL);
  double end = now(CLOCK_MONOTONIC) + secs;
  while (now(CLOCK_MONOTONIC) < end) {
    double b = now(CLOCK_THREAD_CPUTIME_ID) + burst / 1e6;
    while (now(CLOCK_THREAD_CPUTIME_ID) < b) {}
    if (slp) usleep(slp);
  }
  cpu[i] = now(CLOCK_THREAD_CPUTIME_ID);
  return NULL;
}
int main(int argc, char **argv) {
  int n = atoi(argv[1]); secs = atoi(argv[2]); burst = atoi(argv[3]); slp = atoi(argv[4]);
  struct sigaction sa = {0}; sa.sa_sigaction = h; sa.sa_flags = SA_SIGINFO | SA_RESTART; sigaction(SIGPROF, &sa, NULL);
  pthread_t t[64];
  for (long i = 0; i < n; i++) pthread_create(&t[i], NULL, work, (void *)i);
  double total = 0;
  for (int i = 0; i < n; i++) { pthread_join(t[i], NULL); total += cpu[i]; }
  printf("threads %d burst %d us sleep %d us: cpu %.3f s, signals %ld (= %.3f s), overruns %ld: coverage %.3f, with overruns %.3f\n",
         n, burst, slp, total, (long)sigs, sigs * 0.01, (long)overruns, sigs * 0.01 / total, (sigs + overruns) * 0.01 / total);
  return 0;
}
