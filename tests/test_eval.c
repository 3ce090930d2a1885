#include <check.h>
START_TEST(x){}END_TEST Suite *make_suite(void){Suite*s=suite_create("t");TCase*t=tcase_create("t");tcase_add_test(t,x);suite_add_tcase(s,t);return s;}
