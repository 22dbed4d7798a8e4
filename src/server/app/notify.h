/* Readiness for the service manager: slsd tells systemd (a unit of
 * Type=notify) when it serves and when it stops, by the datagram protocol of
 * sd_notify(3), without linking libsystemd. */
#ifndef SLS_SERVER_NOTIFY_H
#define SLS_SERVER_NOTIFY_H

/* Sends state ("READY=1", "STOPPING=1", lines "KEY=VALUE" joined by '\n') as
 * one datagram to the AF_UNIX socket named by $NOTIFY_SOCKET: a path, or an
 * abstract name written "@name". Returns 1 when sent, 0 when NOTIFY_SOCKET is
 * unset or empty (not started by a service manager: nothing to do), -1 when
 * the variable is malformed or the datagram could not be sent. */
int sls_notify_send(const char *state);

#endif
