/* routemap — releasing the font caches that pango keeps behind the
 * library's back (one default font map per thread that used it). They are
 * not leaks in use, but leak checkers (ASan, valgrind) report them, and a
 * program that starts and ends many threads should free each thread's. */
#ifndef ROUTEMAP_CLEANUP_H
#define ROUTEMAP_CLEANUP_H

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

/* Frees the calling thread's font map. Call it in a thread that rendered,
 * just before the thread ends (a later render in the same thread makes a new
 * one, so calling it early is safe, only slower). */
void rm_thread_cleanup(void);

/* Frees what the calling thread and the process keep cached for fonts, as
 * far as that is always safe (it never aborts, even after a failed render).
 * Call it once at exit, when no other thread is rendering. */
void rm_library_cleanup(void);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
