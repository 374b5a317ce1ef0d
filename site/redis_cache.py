"""Django's Redis cache, made an accelerator rather than a single point of failure.

- One client per connection pool instead of one per call. Django builds a new `redis.Redis` for every cache call;
  each copies some 170 response callbacks, about a tenth of a millisecond. A signed-in page makes five calls
  (session, access, generations, fragment), so on pages that are served from the cache this is a tenth of their
  time. A `redis.Redis` is safe to share between threads (each command takes a connection from the pool), and
  its pool opens new connections after a fork (gunicorn workers).
- Every call fails soft: when Redis does not answer, a read is a miss and a write is dropped, so pages are served
  from the database (sessions are `cached_db`). After a failure the process leaves Redis alone for
  REDIS_RETRY_SECONDS instead of waiting for a time-out on every call.
- When Redis answers again, the process that saw it fail deletes every key of ours (not the task queue's): while
  it was down, changes could not start new generations of cached pages, nor drop a session ended meanwhile, so
  what Redis kept from before may be stale.
"""

import logging
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisError, OSError)
RATE_LIMIT_MARK = ":allauth:rl:"
LOCAL_METHODS = {"add", "get", "set", "delete", "touch", "incr", "has_key"}
FORGET_MARK_SECONDS = 10


class ReusedRedisCacheClient(RedisCacheClient):
    key_prefix = ""
    down_until = 0.0
    had_outage = False

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _call(self, name, fallback, *args, **kwargs):
        if self.down_until > time.monotonic():
            return self._without_redis(name, fallback, *args, **kwargs)
        try:
            if self.had_outage:
                self._forget_after_outage()
            implementation = getattr(RedisCacheClient, name, None) or getattr(type(self), name)
            return implementation(self, *args, **kwargs)
        except UNAVAILABLE:
            self.down_until = time.monotonic() + getattr(settings, "REDIS_RETRY_SECONDS", 5)
            if not self.had_outage:
                logger.warning("Redis is unavailable: serving without the cache", exc_info=True)
            self.had_outage = True
            return self._without_redis(name, fallback, *args, **kwargs)

    def _without_redis(self, name, fallback, *args, **kwargs):
        # Sign-in rate limits (allauth's counters and their locks) are kept in this process meanwhile: weaker than
        # shared counters, but guessing passwords is never free. Anything else is a miss.
        key = args[0] if args and isinstance(args[0], str) else ""
        if RATE_LIMIT_MARK in key and name in LOCAL_METHODS:
            return getattr(self.local, name)(*args, **kwargs)
        return fallback

    @cached_property
    def local(self):
        from django.core.cache.backends.locmem import LocMemCache

        return LocMemCache("attache-while-redis-is-down", {"OPTIONS": {"MAX_ENTRIES": 10000}})

    def _forget_after_outage(self) -> None:
        """Delete every key of ours (never the task queue's): what Redis kept from before may be stale. Processes
        come back together after an outage: one of them deletes, the others see its mark and leave it."""
        client = self.get_client(write=True)
        if not client.set(f"{self.key_prefix}-forgetting-after-outage", 1, nx=True, ex=FORGET_MARK_SECONDS):
            self.had_outage = False
            self.local.clear()
            return
        self._delete_ours(client)
        self.had_outage = False
        self.local.clear()
        logger.warning("Redis is back: the keys kept from before the outage were deleted")

    def _delete_ours(self, client) -> None:
        batch = []
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)

    def add(self, key, value, timeout):
        # Without Redis nothing can say "already there": go ahead (log the view, compute the generation). The
        # sign-in rate limits' locks are the exception, kept in the process (_without_redis).
        return self._call("add", True, key, value, timeout)

    def get(self, key, default):
        return self._call("get", default, key, default)

    def set(self, key, value, timeout):
        return self._call("set", None, key, value, timeout)

    def touch(self, key, timeout):
        return self._call("touch", False, key, timeout)

    def delete(self, key):
        return self._call("delete", False, key)

    def get_many(self, keys):
        return self._call("get_many", {}, keys)

    def has_key(self, key):
        return self._call("has_key", False, key)

    def incr(self, key, delta):
        missing = object()
        result = self._call("incr", missing, key, delta)
        if result is missing:  # what callers do for a key never set: set it, which is dropped too
            raise ValueError(f"Key '{key}' not found: the cache is unavailable")
        return result

    def set_many(self, data, timeout):
        return self._call("set_many", [], data, timeout)

    def delete_many(self, keys):
        return self._call("delete_many", None, keys)

    def clear(self):
        # Never FLUSHDB: the task queue may share this Redis database.
        return self._call("_clear_ours", False)

    def _clear_ours(self):
        self._delete_ours(self.get_client(write=True))
        return True


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient

    @cached_property
    def _cache(self):
        client = self._class(self._servers, **self._options)
        client.key_prefix = self.key_prefix  # what to delete after an outage: our keys, never the task queue's
        return client
