/* error.c: Win32 -> eve error numbers and I/O outcomes, straight from spec/errors.tsv
 * (generated into eve_spec_tables.h; nothing is restated here). */
#include "internal.h"

#include "eve_spec_tables.h"

typedef struct eve__err_row {
    DWORD win32;
    int eve;
    int outcome;
} eve__err_row;

static const eve__err_row eve__err_rows[] = {
#define EVE__ERR_ROW(name, value, eve_name, eve_value, outcome, row)                              \
    {(DWORD)(value), eve_name, outcome},
    EVE_SPEC_WIN32_ERRORS_EX(EVE__ERR_ROW)
#undef EVE__ERR_ROW
};

static const eve__err_row *eve__err_find(DWORD err)
{
    size_t i;
    for (i = 0; i < sizeof eve__err_rows / sizeof eve__err_rows[0]; i++) {
        if (eve__err_rows[i].win32 == err)
            return &eve__err_rows[i];
    }
    return NULL;
}

int eve__map_win32(DWORD err)
{
    const eve__err_row *row;
    if (err == 0)
        return EVE_OK;
    row = eve__err_find(err);
    return row ? row->eve : EVE_SPEC_WIN32_DEFAULT_ERRNO;
}

int eve__is_peer_error(DWORD err)
{
    const eve__err_row *row = eve__err_find(err);
    return row != NULL && row->outcome == EVE_SPEC_IO_PEER;
}

/* Error names and meanings, from the public header's EVE_ERRNO_MAP. */
typedef struct eve__err_text {
    int value;
    const char *name;
    const char *meaning;
} eve__err_text;

static const eve__err_text eve__err_texts[] = {
#define EVE__ERR_TEXT(name, value, meaning) {value, #name, meaning},
    EVE_ERRNO_MAP(EVE__ERR_TEXT)
#undef EVE__ERR_TEXT
};

static const eve__err_text *eve__err_text_of(int err)
{
    size_t i;
    for (i = 0; i < sizeof eve__err_texts / sizeof eve__err_texts[0]; i++) {
        if (eve__err_texts[i].value == err)
            return &eve__err_texts[i];
    }
    return NULL;
}

const char *eve_err_name(int err)
{
    const eve__err_text *t = eve__err_text_of(err);
    return t ? t->name : "unknown";
}

const char *eve_strerror(int err)
{
    const eve__err_text *t = eve__err_text_of(err);
    return t ? t->meaning : "unknown eve error number";
}
