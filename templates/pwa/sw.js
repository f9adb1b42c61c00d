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
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function isVersionedStatic(url) {
  return url.origin === self.location.origin && url.pathname.startsWith("/static/") && url.searchParams.has("v");
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
    // Pages always come from the network; with no connection, the offline page is shown instead.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
  }
});
