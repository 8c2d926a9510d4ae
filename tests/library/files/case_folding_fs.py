"""A case-insensitive, case-preserving file system for the tests, as FAT and exFAT drives and
macOS and Windows disks are: FUSE over a backing folder, each name looked up ignoring case.

    python -m tests.library.files.case_folding_fs BACKING MOUNTPOINT

Runs in the foreground until unmounted (`fusermount -u MOUNTPOINT`).
"""

from __future__ import annotations

import errno
import os
import sys

from mfusepy import FUSE, FuseOSError, Operations


class CaseFolding(Operations):
    use_ns = True  # times in nanoseconds

    def __init__(self, backing: str) -> None:
        self.backing = os.path.realpath(backing)

    def _real(self, path: str) -> str:
        """The backing path of `path`, each existing name found whatever its case."""
        current = self.backing
        for part in [p for p in path.split("/") if p]:
            try:
                names = os.listdir(current)
            except OSError:
                names = []
            found = next((n for n in names if n == part), None) or next(
                (n for n in names if n.casefold() == part.casefold()), part
            )
            current = os.path.join(current, found)
        return current

    def _call(self, function, *args, **keywords):
        try:
            return function(*args, **keywords)
        except OSError as error:
            raise FuseOSError(error.errno or errno.EIO) from None

    def getattr(self, path, fh=None):
        return self.getattr_real(self._real(path))

    def getattr_real(self, real):
        st = self._call(os.lstat, real)
        keys = ("st_mode", "st_nlink", "st_uid", "st_gid", "st_size")
        keys += ("st_atime_ns", "st_mtime_ns", "st_ctime_ns", "st_ino")
        return {key.removesuffix("_ns"): getattr(st, key) for key in keys}

    def readdir(self, path, fh):
        """Each entry with its inode number (readdir skips an entry numbered 0)."""
        real = self._real(path)
        entries = [(".", real), ("..", os.path.dirname(real))]
        entries += [(name, os.path.join(real, name)) for name in self._call(os.listdir, real)]
        return [(name, self.getattr_real(where), 0) for name, where in entries]

    def readlink(self, path):
        return self._call(os.readlink, self._real(path))

    def mkdir(self, path, mode):
        return self._call(os.mkdir, self._real(path), mode)

    def rmdir(self, path):
        return self._call(os.rmdir, self._real(path))

    def unlink(self, path):
        return self._call(os.unlink, self._real(path))

    def symlink(self, target, source):
        return self._call(os.symlink, source, self._real(target))

    def rename(self, old, new):
        real_old = self._real(old)
        real_new = self._real(new)
        if real_new.casefold() == real_old.casefold():  # a new case for the same name
            real_new = os.path.join(os.path.dirname(real_old), os.path.basename(new))
        return self._call(os.rename, real_old, real_new)

    def chmod(self, path, mode):
        return self._call(os.chmod, self._real(path), mode)

    def chown(self, path, uid, gid):
        return self._call(os.lchown, self._real(path), uid, gid)

    def truncate(self, path, length, fh=None):
        return self._call(os.truncate, self._real(path), length)

    def utimens(self, path, times=None):
        return self._call(os.utime, self._real(path), ns=times) if times else None

    def access(self, path, amode):
        if not os.access(self._real(path), amode):
            raise FuseOSError(errno.EACCES)
        return 0

    def statfs(self, path):
        st = os.statvfs(self._real(path))
        keys = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree")
        return {key: getattr(st, key) for key in (*keys, "f_files", "f_frsize", "f_namemax")}

    def open(self, path, flags):
        return self._call(os.open, self._real(path), flags)

    def create(self, path, mode, fi=None):
        return self._call(os.open, self._real(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)

    def read(self, path, size, offset, fh):
        return self._call(os.pread, fh, size, offset)

    def write(self, path, data, offset, fh):
        return self._call(os.pwrite, fh, data, offset)

    def fsync(self, path, datasync, fh):
        return self._call(os.fsync, fh)

    def release(self, path, fh):
        return self._call(os.close, fh)

    def flush(self, path, fh):
        return 0


def main(backing: str, mountpoint: str) -> None:
    # use_ino: one file has one inode number under every case of its name, as on FAT
    FUSE(CaseFolding(backing), mountpoint, foreground=True, nothreads=True, use_ino=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
