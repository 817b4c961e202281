# AutoTraj Python worker: one persistent interpreter serving framed requests.
# Frames: 4-byte big-endian length + UTF-8 JSON, on private copies of fds 0/1.
import ctypes, hashlib, io, json, os, resource, signal, shutil, struct, sys, traceback

PROTO_IN = os.dup(0)
PROTO_OUT = os.dup(1)
DIAG = os.dup(2)
CONFIG = json.loads(sys.argv[1])
WORKDIR = CONFIG['workdir']
MAIN_PID = os.getpid()
INFO = {'pid': os.getpid(), 'python': sys.version.split()[0], 'layers': {}}


def note(layer, ok, detail=''):
    INFO['layers'][layer] = {'ok': bool(ok), 'detail': str(detail)}


def libc_call(name, *args):
    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, name)
    if fn(*args) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18


def readonly_filesystem():
    # Own mount namespace (from `unshare --mount`): every mount becomes read-only here,
    # except the private working directory. The parent's view is untouched.
    libc_call('mount', b'none', b'/', None, MS_REC | MS_PRIVATE, None)
    wd = WORKDIR.encode()
    libc_call('mount', wd, wd, None, MS_BIND | MS_REC, None)
    hidden = []
    # A tmpfs over each home-like private dir (e.g. /root), re-exposing only the interpreter.
    prefix = os.path.realpath(sys.base_prefix)
    for home in CONFIG.get('hideDirs', []):
        if not os.path.isdir(home) or os.path.realpath(home) == '/':
            continue
        keep = prefix if (prefix + '/').startswith(os.path.realpath(home) + '/') else None
        keep_fd = os.open(keep, os.O_PATH) if keep else None
        libc_call('mount', b'tmpfs', home.encode(), b'tmpfs', MS_NOSUID | MS_NODEV, b'mode=0755,size=1m')
        if keep_fd is not None:
            os.makedirs(keep, exist_ok=True)
            libc_call('mount', ('/proc/self/fd/%d' % keep_fd).encode(), keep.encode(), None, MS_BIND | MS_REC, None)
            os.close(keep_fd)
        hidden.append(home)
    failed = []
    with open('/proc/self/mountinfo') as f:
        mounts = [line.split() for line in f]
    for fields in mounts:
        point = fields[4].replace('\\040', ' ')
        fstype = fields[fields.index('-') + 1]
        if point == WORKDIR or fstype == 'proc':
            continue
        try:
            libc_call('mount', None, point.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID, None)
        except OSError as e:
            failed.append('%s (%s)' % (point, e.strerror))
    note('readonlyFs', not failed, 'hidden: %s; %d mounts read-only%s' % (
        ', '.join(hidden) or 'none', len(mounts) - len(failed), ('; failed: ' + ', '.join(failed[:5])) if failed else ''))


def drop_privileges():
    uid = int(CONFIG['sandboxUid'])
    os.chown(WORKDIR, uid, uid)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    nproc = int(CONFIG['maxProcesses'])
    resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    note('unprivilegedUser', True, 'uid %d, at most %d processes' % (uid, nproc))


def setup():
    os.chdir(WORKDIR)
    if CONFIG.get('isolate') and os.getuid() == 0:
        try:
            readonly_filesystem()
        except Exception as e:
            note('readonlyFs', False, e)
        try:
            drop_privileges()
        except Exception as e:
            note('unprivilegedUser', False, e)
    # Make the process undumpable: other processes of the same uid cannot ptrace it or read /proc/pid/environ.
    try:
        libc_call('prctl', 4, 0, 0, 0, 0)
    except Exception:
        pass
    # fds 0-2 of user code: stdin empty, fd-level output (os.write, subprocesses) to capture files.
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    for fd, name in ((1, '.fd1'), (2, '.fd2')):
        cap = os.open(os.path.join(WORKDIR, name), os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(cap, fd)
        os.close(cap)
    signal.signal(signal.SIGXCPU, on_cpu_limit)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


class CpuLimitExceeded(BaseException):
    pass


def on_cpu_limit(signum, frame):
    raise CpuLimitExceeded('CPU time limit exceeded')


class CappedWriter(io.TextIOBase):
    """A text stream that keeps at most `cap` bytes and counts what it dropped."""

    def __init__(self, budget):
        self.budget = budget
        self.parts = []
        self.dropped = 0

    def writable(self):
        return True

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str, not %s' % type(s).__name__)
        data = s.encode('utf-8', 'replace')
        room = self.budget[0]
        if room >= len(data):
            self.parts.append(data)
            self.budget[0] -= len(data)
        else:
            if room > 0:
                self.parts.append(data[:room])
                self.budget[0] = 0
            self.dropped += len(data) - max(room, 0)
        return len(s)

    def flush(self):
        pass

    def text(self):
        return b''.join(self.parts).decode('utf-8', 'replace')


def read_capture(fd, budget):
    size = os.lseek(fd, 0, os.SEEK_END)
    if size == 0:
        return '', 0
    os.lseek(fd, 0, os.SEEK_SET)
    take = min(size, max(budget[0], 0))
    data = os.read(fd, take) if take else b''
    budget[0] -= len(data)
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    return data.decode('utf-8', 'replace'), size - len(data)


SESSIONS = {}


def session_dir(session_id):
    if session_id is None:
        name = 'anon'
    else:
        # Readable prefix plus a hash, so distinct ids never share a directory.
        digest = hashlib.sha1(session_id.encode('utf-8', 'surrogatepass')).hexdigest()[:12]
        name = 's-%s-%s' % (''.join(c if c.isalnum() else '_' for c in session_id)[:40], digest)
    path = os.path.join(WORKDIR, name)
    os.makedirs(path, exist_ok=True)
    return path


def set_limit(kind, soft):
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY and (soft == resource.RLIM_INFINITY or soft > hard):
        soft = hard
    resource.setrlimit(kind, (soft, hard))


def execute(req):
    code = req['code']
    session_id = req.get('sessionId')
    max_bytes = int(req['maxOutputBytes'])
    budget = [max_bytes]
    out, err = CappedWriter(budget), CappedWriter(budget)
    if session_id is None:
        namespace = {'__name__': '__main__', '__builtins__': __builtins__}
    else:
        namespace = SESSIONS.setdefault(session_id, {'__name__': '__main__', '__builtins__': __builtins__})
    cwd = session_dir(session_id)
    os.chdir(cwd)
    error = None
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_used = usage.ru_utime + usage.ru_stime
    try:
        if req.get('memoryMb'):
            set_limit(resource.RLIMIT_AS, int(req['memoryMb']) * 1024 * 1024)
        if req.get('fileMb'):
            set_limit(resource.RLIMIT_FSIZE, int(req['fileMb']) * 1024 * 1024)
        if req.get('cpuSeconds'):
            set_limit(resource.RLIMIT_CPU, int(cpu_used + float(req['cpuSeconds'])) + 1)
        compiled = compile(code, '<cell>', 'exec')
        exec(compiled, namespace)
    except BaseException as e:  # SystemExit, KeyboardInterrupt and limits included: the cell failed, the worker goes on.
        error = e
    finally:
        if os.getpid() != MAIN_PID:
            # A process the cell forked finished the cell: it must never speak the protocol.
            os._exit(0)
        set_limit(resource.RLIMIT_AS, resource.RLIM_INFINITY)
        set_limit(resource.RLIMIT_CPU, resource.RLIM_INFINITY)
        set_limit(resource.RLIMIT_FSIZE, resource.RLIM_INFINITY)
        sys.stdout, sys.stderr = saved
    result = {'id': req['id'], 'error': None}
    if error is not None:
        if isinstance(error, MemoryError):
            tb = 'MemoryError: memory limit exceeded\n'
        else:
            # Drop the worker's own frame (the exec/compile call) so tracebacks start at the cell.
            frames = error.__traceback__.tb_next if error.__traceback__ is not None else None
            tb = ''.join(traceback.format_exception(type(error), error, frames))
        message = str(error)
        if isinstance(error, SyntaxError):
            message = error.msg or message
        result['error'] = {'type': type(error).__name__, 'message': message, 'traceback': tb}
    reap_strays()
    fd_out, fd_out_dropped = read_capture(1, budget)
    fd_err, fd_err_dropped = read_capture(2, budget)
    result['stdout'] = out.text() + fd_out
    result['stderr'] = err.text() + fd_err
    result['droppedBytes'] = out.dropped + err.dropped + fd_out_dropped + fd_err_dropped
    if session_id is None:
        shutil.rmtree(cwd, ignore_errors=True)
    os.chdir(WORKDIR)
    return result


def reap_strays():
    # As pid 1 of our own pid namespace, end whatever the cell left running, then reap it.
    killed = False
    if MAIN_PID == 1 and CONFIG.get('isolate'):
        try:
            os.kill(-1, signal.SIGKILL)
            killed = True
        except OSError:
            pass
    while True:
        try:
            pid, _ = os.waitpid(-1, 0 if killed else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def end_session(req):
    sid = req['sessionId']
    SESSIONS.pop(sid, None)
    shutil.rmtree(session_dir(sid), ignore_errors=True)
    return {'id': req['id'], 'ended': True}


def read_exact(n):
    chunks = []
    while n > 0:
        chunk = os.read(PROTO_IN, n)
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b''.join(chunks)


def send(obj):
    data = json.dumps(obj, ensure_ascii=False).encode('utf-8', 'surrogatepass')
    frame = struct.pack('>I', len(data)) + data
    view = memoryview(frame)
    while view:
        written = os.write(PROTO_OUT, view)
        view = view[written:]


def main():
    setup()
    for module in CONFIG.get('preload', []):
        try:
            __import__(module)
        except Exception:
            pass
    send({'ready': True, 'info': INFO})
    while True:
        header = read_exact(4)
        if header is None:
            return
        body = read_exact(struct.unpack('>I', header)[0])
        if body is None:
            return
        req = json.loads(body.decode('utf-8'))
        if req.get('op') == 'end':
            send(end_session(req))
        else:
            send(execute(req))


main()
