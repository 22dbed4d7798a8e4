/* Master key and admin token files: created once with O_EXCL and mode 0600,
 * read back on later starts. The key file holds "sls-key-v1 ID HEX\n". */
#include "server/app/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/encoding.h"
#include "crypto/random.h"
#include "crypto/secmem.h"

static int read_small(const char *path, char *buf, size_t buflen, char *err, size_t errlen)
{
    struct stat st;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

    if (fd < 0)
        return errno == ENOENT
                   ? 1
                   : (snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno)), -1);
    if (fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
        snprintf(err, errlen, "%s must not be readable by group or others (chmod 600)", path);
        close(fd);
        return -1;
    }
    n = read(fd, buf, buflen - 1);
    close(fd);
    if (n <= 0) {
        snprintf(err, errlen, "cannot read %s", path);
        return -1;
    }
    buf[n] = '\0';
    return 0;
}

static int write_new(const char *path, const char *text, char *err, size_t errlen)
{
    size_t len = strlen(text);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        close(fd);
        unlink(path);
        return -1;
    }
    close(fd);
    return 0;
}

int sls_keyfile_load_or_create(const char *path, struct sls_seal_key *key, bool *created, char *err,
                               size_t errlen)
{
    char text[256];
    char hex[2 * SLS_SEAL_KEY_BYTES + 1];
    unsigned id = 0;
    size_t n = 0;
    int rc = read_small(path, text, sizeof(text), err, errlen);

    *created = false;
    if (rc < 0)
        return -1;
    if (rc == 0) {
        rc = -1;
        if (sscanf(text, "sls-key-v1 %3u %64s", &id, hex) != 2 || id == 0 || id > 255 ||
            sls_hex_decode(hex, strlen(hex), key->key, sizeof(key->key), &n) != 0 ||
            n != SLS_SEAL_KEY_BYTES) {
            snprintf(err, errlen, "%s is not a valid sls key file", path);
        } else {
            key->id = (uint8_t)id;
            rc = 0;
        }
        goto out;
    }
    sls_seal_key_generate(key, 1);
    if (sls_hex_encode(key->key, sizeof(key->key), hex, sizeof(hex)) != 0) {
        snprintf(err, errlen, "cannot encode key");
        rc = -1;
        goto out;
    }
    snprintf(text, sizeof(text), "sls-key-v1 %u %s\n", (unsigned)key->id, hex);
    rc = write_new(path, text, err, errlen);
    *created = rc == 0;
out:
    sls_wipe(text, sizeof(text));
    sls_wipe(hex, sizeof(hex));
    return rc;
}

int sls_tokenfile_load_or_create(const char *path, char out[65], bool *created, char *err,
                                 size_t errlen)
{
    char text[128];
    int rc = read_small(path, text, sizeof(text), err, errlen);

    *created = false;
    if (rc < 0)
        return -1;
    if (rc == 0) {
        text[strcspn(text, "\r\n")] = '\0';
        if (strlen(text) < 32 || strlen(text) > 64) {
            snprintf(err, errlen, "%s does not hold a token", path);
            rc = -1;
        } else {
            memcpy(out, text, strlen(text) + 1);
        }
        goto out;
    }
    sls_random_hex(out, 32);
    snprintf(text, sizeof(text), "%s\n", out);
    rc = write_new(path, text, err, errlen);
    *created = rc == 0;
out:
    sls_wipe(text, sizeof(text));
    return rc;
}
