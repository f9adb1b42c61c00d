// Family Voice service worker. It keeps only versioned static files and the offline page:
// never a page or data behind sign-in, because phones are shared and the household may be the risk.
const CACHE = "fv-static-{{ version }}";
const PRECACHE = {{ urls | tojson }};
const OFFLINE_URL = {{ offline_url | tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE && !key.startsWith("fv-private-")).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function isVersionedStatic(url) {
  return url.origin === self.location.origin && url.pathname.startsWith("/static/") && url.searchParams.has("v");
}

const PRIVATE_PAGES = ["/my/safety-plan"];

function privateCopy(path) {
  if (!PRIVATE_PAGES.includes(path)) return Promise.resolve(undefined);
  return caches.keys().then((keys) => {
    const mine = keys.filter((key) => key.startsWith("fv-private-"));
    return mine.length === 1 ? caches.open(mine[0]).then((cache) => cache.match(path)) : undefined;
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (isVersionedStatic(url)) {
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      }))
    );
    return;
  }
  if (request.mode === "navigate") {
    // Pages always come from the network. With no connection, a safety plan the young person chose
    // to keep on this phone is shown (the page itself keeps it, under its user's own cache);
    // otherwise the offline page.
    event.respondWith(fetch(request).catch(() => privateCopy(url.pathname).then((hit) => hit || caches.match(OFFLINE_URL))));
  }
});
