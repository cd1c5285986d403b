/* routemap — releasing the font and drawing caches that cairo, pango and
 * fontconfig keep behind the library's back: pango keeps one font map per
 * thread that rendered, cairo and fontconfig keep process-wide caches. They
 * are not leaks in use, but leak checkers (ASan, valgrind) report them, and a
 * program that starts and ends many rendering threads should free each
 * thread's font map. */
#ifndef ROUTEMAP_CLEANUP_H
#define ROUTEMAP_CLEANUP_H

#ifdef __cplusplus
extern "C" {
#endif

/* Frees the calling thread's font map. Call it in a thread that rendered,
 * just before the thread ends (a later render in the same thread makes a new
 * one, so calling it early is safe, only slower). */
void rm_thread_cleanup(void);

/* Frees the calling thread's font map and the process-wide caches of cairo
 * and fontconfig. Call it once at exit, when no other thread is rendering
 * and none will render again. */
void rm_library_cleanup(void);

#ifdef __cplusplus
}
#endif
#endif
