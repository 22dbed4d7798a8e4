/* Readiness for the service manager: one datagram to $NOTIFY_SOCKET
 * (sd_notify(3)'s protocol), sent from a fresh socket each time. */
#include "server/app/notify.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int sls_notify_send(const char *state)
{
    const char *name = getenv("NOTIFY_SOCKET");
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    size_t len;
    ssize_t sent;
    int fd, rc = -1;

    if (name == NULL || name[0] == '\0')
        return 0;
    len = strlen(name);
    if ((name[0] != '/' && name[0] != '@') || len < 2 || len >= sizeof(addr.sun_path))
        return -1;
    memcpy(addr.sun_path, name, len);
    if (name[0] == '@')
        addr.sun_path[0] = '\0'; /* an abstract socket: the name has no NUL */
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sent = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (const struct sockaddr *)&addr,
                  (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
    if (sent == (ssize_t)strlen(state))
        rc = 1;
    close(fd);
    return rc;
}
