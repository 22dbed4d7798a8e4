#!/usr/bin/env python3
"""slsd tells a service manager when it is ready and when it stops
(Type=notify): started with NOTIFY_SOCKET naming a datagram socket, it sends
READY=1 once both listeners answer, and STOPPING=1 on SIGTERM before it exits 0.
SIGHUP, which asks many daemons to reload, neither stops it nor says it stops.
usage: readiness_test.py SLSD"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def main():
    slsd = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, 'notify')
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        sock.settimeout(60)
        pub, adm = free_port(), free_port()
        env = dict(os.environ, NOTIFY_SOCKET=path, SLS_ADMIN_TOKEN='readiness-test-token-0123')
        proc = subprocess.Popen([slsd, '--listen', f'127.0.0.1:{pub}',
                                 '--admin-listen', f'127.0.0.1:{adm}',
                                 '--store', 'sqlite:' + os.path.join(work, 'sls.db')],
                                cwd=work, env=env, stderr=subprocess.PIPE, text=True)
        try:
            msg = sock.recv(4096).decode()
            if 'READY=1' not in msg.split('\n'):
                print(f'FAIL: first message {msg!r}, expected READY=1')
                return 1
            # Ready means serving: both listeners answer at once.
            for port in (pub, adm):
                with urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=10) as r:
                    if r.status != 200:
                        print(f'FAIL: /healthz on {port} answered {r.status} after READY=1')
                        return 1
            print(f'ok: {msg!r}, both listeners answer')
            proc.send_signal(signal.SIGHUP)
            # Nothing may come within 2 s (STOPPING=1 would, at once).
            sock.settimeout(2)
            try:
                msg = sock.recv(4096).decode()
            except TimeoutError:
                msg = None
            sock.settimeout(60)
            if msg is not None or proc.poll() is not None:
                print(f'FAIL: after SIGHUP: message {msg!r}, exit status {proc.poll()}')
                return 1
            with urllib.request.urlopen(f'http://127.0.0.1:{pub}/healthz', timeout=10) as r:
                if r.status != 200:
                    print(f'FAIL: /healthz answered {r.status} after SIGHUP')
                    return 1
            print('ok: SIGHUP: still serving, no message')
            proc.terminate()
            msg = sock.recv(4096).decode()
            if msg != 'STOPPING=1':
                print(f'FAIL: on SIGTERM {msg!r}, expected STOPPING=1')
                return 1
            rc = proc.wait(timeout=60)
            if rc != 0:
                print(f'FAIL: slsd exited {rc} after SIGTERM')
                return 1
            print('ok: STOPPING=1, exit 0')
            return 0
        except (OSError, subprocess.TimeoutExpired) as e:
            print(f'FAIL: {e}')
            return 1
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            err = proc.stderr.read()
            if err:
                print('slsd said:\n' + err)
            sock.close()


if __name__ == '__main__':
    sys.exit(main())
