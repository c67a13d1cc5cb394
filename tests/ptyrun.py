#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# ptyrun.py: run a command on a fresh pseudo-terminal like a person would: set the window size,
# type input at given times, resize (SIGWINCH), and print what the terminal showed and the exit status.
# usage: ptyrun.py [--size RxC] [--after SECONDS TEXT|winch:RxC]... -- CMD [ARG...]
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


def main(argv):
    size, steps = '24x80', []
    while argv and argv[0] != '--':
        if argv[0] == '--size':
            size, argv = argv[1], argv[2:]
        elif argv[0] == '--after':
            steps.append((float(argv[1]), argv[2]))
            argv = argv[3:]
        else:
            sys.exit('ptyrun.py: bad argument ' + argv[0])
    cmd = argv[1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    set_size(fd, size)
    out, alive = [], True
    for delay, what in steps:
        alive = read_some(fd, time.time() + delay, out) and alive
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
