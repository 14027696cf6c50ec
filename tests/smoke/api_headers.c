/* api_headers: the public headers stand alone in strict C11 on every flavour (this file
 * includes nothing of Windows), and their tables hold the invariants the spec relies on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "eve/pipe.h"

#include <cmocka.h>

typedef struct errno_row {
    const char *name;
    int value;
} errno_row;

static const errno_row errnos[] = {
#define ROW(name, value, meaning) {#name, name},
    EVE_ERRNO_MAP(ROW)
#undef ROW
};

/* EVE_OK is 0, every error is negative and no two names share a value. */
static void errno_map_is_a_negative_bijection(void **state)
{
    size_t i, j, n = sizeof errnos / sizeof errnos[0];
    (void)state;
    assert_string_equal(errnos[0].name, "EVE_OK");
    assert_int_equal(errnos[0].value, 0);
    for (i = 1; i < n; i++) {
        assert_true(errnos[i].value < 0);
        for (j = 0; j < i; j++) {
            assert_int_not_equal(errnos[i].value, errnos[j].value);
        }
    }
}

static void states_are_ordered_and_distinct(void **state)
{
    (void)state;
    assert_int_equal(EVE_PIPE_DETACHED, 0);
    assert_true(EVE_PIPE_DETACHED < EVE_PIPE_OPEN && EVE_PIPE_OPEN < EVE_PIPE_PAUSED);
    assert_true(EVE_PIPE_PAUSED < EVE_PIPE_DRAINING && EVE_PIPE_DRAINING < EVE_PIPE_CLOSING);
    assert_true(EVE_PIPE_CLOSING < EVE_PIPE_CLOSED);
}

static void spec_version_is_major_1(void **state)
{
    (void)state;
    assert_true(strncmp(EVE_SPEC_VERSION, "1.", 2) == 0);
}

/* EVE_VERSION_STRING spells out the three numbers. */
static void version_string_is_the_numbers(void **state)
{
    char want[32];
    (void)state;
    snprintf(want, sizeof want, "%d.%d.%d", EVE_VERSION_MAJOR, EVE_VERSION_MINOR,
             EVE_VERSION_PATCH);
    assert_string_equal(EVE_VERSION_STRING, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(errno_map_is_a_negative_bijection),
        cmocka_unit_test(states_are_ordered_and_distinct),
        cmocka_unit_test(spec_version_is_major_1),
        cmocka_unit_test(version_string_is_the_numbers),
    };
    return cmocka_run_group_tests_name("api_headers", tests, NULL, NULL);
}
