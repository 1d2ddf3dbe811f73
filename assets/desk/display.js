// The waiting-room display (docs/programs/uketsuke-desk.md "Display"): the receipt numbers being
// called, large, no names. GET /api/v1/display, then the event stream /api/v1/display/events.
'use strict';

(function () {
    const config = JSON.parse(document.getElementById('desk-config').textContent);
    const words = config.strings[config.lang] || {};
    for (const node of document.querySelectorAll('[data-i18n]')) {
        if (Object.prototype.hasOwnProperty.call(words, node.dataset.i18n)) {
            node.textContent = words[node.dataset.i18n];
        }
    }

    function show(list) {
        const numbers = list.called || [];
        const ol = document.getElementById('called');
        ol.replaceChildren(...numbers.map((number) => {
            const li = document.createElement('li');
            li.textContent = number;
            return li;
        }));
        document.getElementById('called-empty').hidden = numbers.length > 0;
    }

    async function load() {
        const answer = await fetch('/api/v1/display', {cache: 'no-store'});
        if (answer.ok) {
            show(await answer.json());
        }
    }

    const events = new EventSource('/api/v1/display/events');
    events.addEventListener('hello', () => load().catch(() => {}));
    events.addEventListener('called', (event) => show(JSON.parse(event.data)));
})();
