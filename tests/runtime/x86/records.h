/* records.c: the patcher on crafted record arrays; ok/not ok lines; returns the failures. */
int run_records(const char *arch);
