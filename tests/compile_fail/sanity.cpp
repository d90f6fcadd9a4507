// Checks the compile-fail machinery itself: the .ko build must fail with exactly this text.
#ifdef CTNN_EXPECT_COMPILE_ERROR
#error "ctnn: compile-fail sanity check"
#endif
int sanity_check_compiles = 1;
