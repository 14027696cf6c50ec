/* names: eve_err_name and eve_strerror answer for every number of EVE_ERRNO_MAP, in its
 * words, and for a number outside it; eve_version is the header's EVE_VERSION_STRING. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "eve/pipe.h"

#include <cmocka.h>

typedef struct named {
    int value;
    const char *name, *meaning;
} named;

static const named every_error[] = {
#define ROW(name, value, meaning) {value, #name, meaning},
    EVE_ERRNO_MAP(ROW)
#undef ROW
};

static void every_error_has_its_name_and_meaning(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof every_error / sizeof every_error[0]; i++) {
        assert_string_equal(eve_err_name(every_error[i].value), every_error[i].name);
        assert_string_equal(eve_strerror(every_error[i].value), every_error[i].meaning);
    }
    assert_string_equal(eve_err_name(EVE_EPIPE), "EVE_EPIPE");
    assert_string_equal(eve_strerror(EVE_EPIPE), "broken pipe: the other end is gone");
}

static void unknown_numbers_get_an_answer(void **state)
{
    static const int unknown[] = {1, -1, -4095, 4094, INT32_MIN, INT32_MAX};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        assert_string_equal(eve_err_name(unknown[i]), "unknown");
        assert_string_equal(eve_strerror(unknown[i]), "unknown eve error number");
    }
}

static void version_is_the_headers(void **state)
{
    (void)state;
    assert_string_equal(eve_version(), EVE_VERSION_STRING);
    assert_string_equal(eve_spec_version(), EVE_SPEC_VERSION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_error_has_its_name_and_meaning),
        cmocka_unit_test(unknown_numbers_get_an_answer),
        cmocka_unit_test(version_is_the_headers),
    };
    return cmocka_run_group_tests_name("ref.names", tests, NULL, NULL);
}
