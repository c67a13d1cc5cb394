#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# ptyrun.py: run a command on a fresh pseudo-terminal like a person would: set the window size, and
# once the screen shows what the command prints when it is ready, type input or resize (SIGWINCH);
# print what the terminal showed and the exit status.
# usage: ptyrun.py [--size RxC] [--on SEEN TEXT|winch:RxC]... -- CMD [ARG...]
#   --on: wait until SEEN appears on the screen after the previous step (20 s at most: then the screen
#   gets a line saying so, and the step is done anyway), then type TEXT or set the size RxC.
#   TEXT understands \r, \n and \x03 (^C). Output: the screen bytes, then a last line "exit=N".
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time


def set_size(fd, spec):
    rows, cols = (int(x) for x in spec.split('x'))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))


def read_some(fd, until, out):
    while time.time() < until:
        r, _, _ = select.select([fd], [], [], 0.05)
        if not r:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        out.append(data)
    return True


def read_until(fd, seen, start, out, limit=20):
    """Read the screen until SEEN shows in it after byte START; False when it does not within LIMIT s."""
    until = time.time() + limit
    while seen.encode() not in b''.join(out)[start:]:
        if time.time() >= until or not read_some(fd, min(until, time.time() + 0.05), out):
            return seen.encode() in b''.join(out)[start:]
    return True


def main(argv):
    size, steps = '24x80', []
    while argv and argv[0] != '--':
        if argv[0] == '--size':
            size, argv = argv[1], argv[2:]
        elif argv[0] == '--on':
            steps.append((argv[1], argv[2]))
            argv = argv[3:]
        else:
            sys.exit('ptyrun.py: bad argument ' + argv[0])
    cmd = argv[1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    set_size(fd, size)
    out, start = [], 0
    for seen, what in steps:
        if not read_until(fd, seen, start, out):
            out.append(('\r\nptyrun.py: no "%s" on the screen within 20 s\r\n' % seen).encode())
        start = len(b''.join(out))
        if what.startswith('winch:'):
            set_size(fd, what[6:])  # the kernel sends SIGWINCH to the foreground group
        else:
            os.write(fd, what.encode().decode('unicode_escape').encode('latin-1'))
    deadline = time.time() + 20
    status = None
    while time.time() < deadline:
        read_some(fd, time.time() + 0.1, out)
        p, st = os.waitpid(pid, os.WNOHANG)
        if p:
            status = st
            break
    if status is None:
        os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
    read_some(fd, time.time() + 0.1, out)
    sys.stdout.write(b''.join(out).decode(errors='replace'))
    print('\nexit=%d' % os.waitstatus_to_exitcode(status))


main(sys.argv[1:])
