/* check_main.c — the main() of every unit-test program.
 *
 * Each tests/test_MODULE.c defines make_suite(); this runs it with Check and
 * turns failures into the exit status automake's test harness reads.
 */
#include <check.h>
#include <stdlib.h>

Suite *make_suite(void);

int main(void)
{
    SRunner *sr = srunner_create(make_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
