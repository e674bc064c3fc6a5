// Live notifications: the bell's unread count, a toast (and an optional sound) for a group-petition
// alert, and live refresh of the rows a page shows. The socket protocol is described in
// notifications/__init__.py. Every page works without this file; it only saves reloads.
(function () {
  "use strict";

  var bell = document.getElementById("bell");
  if (!bell || !window.WebSocket) return;
  var counter = bell.querySelector(".bell-count");
  var toasts = document.getElementById("toasts");
  var soundToggle = document.getElementById("sound-toggle");
  var lastIdKey = "notifications:last-id:" + bell.dataset.user;
  var soundKey = "notifications:sound";
  var MAX_TOASTS = 3;
  var STOP_CODES = [4401, 4403]; // not logged in, or a foreign page: retrying cannot help

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: no memory */ }
  }

  // The bell.

  function showCount(unread) {
    counter.textContent = unread > 99 ? "99+" : String(unread);
    counter.hidden = !unread;
    bell.classList.toggle("has-unread", unread > 0);
  }

  var lastId = parseInt(stored(lastIdKey) || "", 10) || null;
  function remember(id) {
    if (id && (!lastId || id > lastId)) {
      lastId = id;
      store(lastIdKey, String(id));
    }
  }

  // Sound: off unless the person turns it on (the click also lets the browser play audio).

  var audio = null;
  function soundOn() { return stored(soundKey) === "on"; }
  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio = audio || new Context();
    var tone = audio.createOscillator();
    var gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.6);
  }
  function showSound() {
    if (soundToggle) soundToggle.setAttribute("aria-pressed", soundOn() ? "true" : "false");
  }
  if (soundToggle) {
    showSound();
    soundToggle.addEventListener("click", function () {
      store(soundKey, soundOn() ? "off" : "on");
      showSound();
      if (soundOn()) beep();
    });
  }

  // Toasts: a group petition alert stays until it is dismissed or opened.

  function toast(message) {
    var box = document.createElement("div");
    box.className = "toast toast-" + message.kind;
    box.setAttribute("role", "alert");
    box.dataset.notification = message.id;
    var title = document.createElement("strong");
    title.textContent = bell.dataset.labelGroup;
    var text = document.createElement("p");
    text.textContent = message.text;
    box.appendChild(title);
    box.appendChild(text);
    if (message.link) {
      var open = document.createElement("a");
      open.href = message.link;
      open.className = "btn btn-small btn-primary";
      open.textContent = bell.dataset.labelOpen;
      box.appendChild(open);
    }
    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "btn btn-small";
    dismiss.textContent = bell.dataset.labelDismiss;
    dismiss.addEventListener("click", function () { box.remove(); });
    box.appendChild(dismiss);
    toasts.prepend(box);
    while (toasts.children.length > MAX_TOASTS) toasts.lastElementChild.remove();
    if (soundOn()) beep();
  }

  // Live refresh: a region marked data-live is fetched again and swapped in, unless the person
  // is typing in it; then it is swapped once they leave it.

  var FIELDS = "input:not([type=hidden]), textarea, select";
  function busy(region) {
    var focused = document.activeElement;
    if (focused && focused.matches(FIELDS) && region.contains(focused)) return true;
    return Array.prototype.some.call(region.querySelectorAll(FIELDS), function (f) {
      if (f.type === "checkbox" || f.type === "radio") return f.checked !== f.defaultChecked;
      if (f.tagName === "SELECT") {
        return Array.prototype.some.call(f.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      return f.value !== f.defaultValue;
    });
  }

  var pending = null;
  var waiting = new Set();
  function refresh(regions, petition) {
    regions.forEach(function (region) { waiting.add(region.id); });
    clearTimeout(pending);
    // Several events of one change arrive together: fetch the page once.
    pending = setTimeout(function () { swap(petition); }, 250);
  }

  function swap(petition) {
    var ids = Array.from(waiting);
    waiting.clear();
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ids.forEach(function (id) {
          var old = document.getElementById(id);
          var now = fresh.getElementById(id);
          if (!old || !now) return;
          if (busy(old)) {
            old.addEventListener("focusout", function () { refresh([old], petition); }, { once: true });
            return;
          }
          old.replaceWith(now);
          if (petition) {
            now.querySelectorAll('[data-petition="' + petition + '"]').forEach(function (link) {
              (link.closest("tr") || link).classList.add("live-changed");
            });
          }
        });
      })
      .catch(function () { /* offline: the next event tries again */ });
  }

  function regions(kind) {
    return Array.from(document.querySelectorAll('[data-live="' + kind + '"]')).filter(function (r) { return r.id; });
  }

  function petitionChanged(message) {
    var lists = regions("list");
    var main = document.querySelector("main[data-live-petition]");
    var mine = main && main.dataset.livePetition === String(message.petition);
    if (mine) {
      var parts = regions("petition");
      if (!parts.length) {
        if (!main.id) main.id = "live-main";
        parts = [main];
      }
      lists = lists.concat(parts);
    }
    if (lists.length) refresh(lists, message.petition);
  }

  // The socket.

  var handlers = {
    notification: function (message) {
      remember(message.id);
      if (message.read) return;
      showCount((parseInt(counter.textContent, 10) || 0) + 1);
      if (message.kind === "group_petition_filed") toast(message);
      var inbox = regions("inbox");
      if (inbox.length) refresh(inbox, null);
    },
    state: function (message) {
      remember(message.last_id);
      showCount(message.unread);
    },
    read: function (message) { showCount(message.unread); },
    resync: function () { /* the state that follows is the truth; nothing to replay */ },
    petition: petitionChanged,
  };

  var delay = 1000;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var query = [];
    if (lastId) query.push("last_id=" + lastId);
    // Pages that show petitions hear of their changes; the others need not.
    if (document.querySelector('[data-live="list"], main[data-live-petition]')) query.push("rows=1");
    var url = scheme + window.location.host + bell.dataset.socket + (query.length ? "?" + query.join("&") : "");
    var socket = new WebSocket(url);
    socket.addEventListener("open", function () {
      delay = 1000;
      bell.classList.remove("offline");
      bell.removeAttribute("title");
      document.documentElement.dataset.notifications = "live";
    });
    socket.addEventListener("message", function (event) {
      var message = JSON.parse(event.data);
      var handle = handlers[message.type];
      if (handle) handle(message);
    });
    socket.addEventListener("close", function (event) {
      document.documentElement.dataset.notifications = "closed";
      if (STOP_CODES.indexOf(event.code) !== -1) return;
      bell.classList.add("offline");
      bell.title = bell.dataset.labelOffline;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }
  connect();

  // "Mark read" in the inbox answers with the new count without leaving the page.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-mark-read]");
    if (!form) return;
    event.preventDefault();
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(function (answer) { showCount(answer.unread); refresh(regions("inbox"), null); })
      .catch(function () { form.submit(); });
  });
})();
