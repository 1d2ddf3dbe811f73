// The desk's live staff page (docs/programs/uketsuke-desk.md "The page"). Plain script, no
// framework: the rows come from GET /api/v1/queue and then from the event stream
// GET /api/v1/events. Every value from a check-in is set with textContent, never as HTML.
'use strict';

(function () {
    const config = JSON.parse(document.getElementById('desk-config').textContent);
    const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
    const rows = new Map(); // id -> row as the API sends it
    let terminals = [];
    let terminalsAt = 0; // the desk's clock (ms) when it sent `terminals`
    let date = null; // the desk's "today" of the list
    let clockOffset = 0; // desk time minus this browser's time, in ms
    let lang = localStorage.getItem('uketsuke.desk.lang') || config.lang;
    let openDetail = null; // id of the check-in whose detail is shown
    const callsHeard = new Set(); // "terminal/call id" of the calls already announced

    const $ = (id) => document.getElementById(id);

    function words() {
        return config.strings[lang] || config.strings[config.lang] || {};
    }
    function has(key) {
        return Object.prototype.hasOwnProperty.call(words(), key);
    }
    function t(key, values) {
        let text = has(key) ? words()[key] : '[' + key + ']';
        for (const [name, value] of Object.entries(values || {})) {
            text = text.split('{' + name + '}').join(String(value));
        }
        return text;
    }
    // The words for a wire name (outcome, problem, method), or the name as it came.
    function named(prefix, name) {
        return has(prefix + name) ? t(prefix + name) : name;
    }
    function el(tag, text, className) {
        const node = document.createElement(tag);
        if (text !== undefined && text !== null) {
            node.textContent = text;
        }
        if (className) {
            node.className = className;
        }
        return node;
    }
    function now() {
        return Date.now() + clockOffset;
    }
    function setClock(serverNow) {
        const ms = Date.parse(serverNow);
        if (!Number.isNaN(ms)) {
            clockOffset = ms - Date.now();
        }
    }
    function minutesBetween(fromIso, toMs) {
        const from = Date.parse(fromIso);
        return Number.isNaN(from) ? 0 : Math.max(0, Math.floor((toMs - from) / 60000));
    }
    function ymd(text) {
        return /^\d{8}$/.test(text || '')
            ? text.slice(0, 4) + '/' + text.slice(4, 6) + '/' + text.slice(6, 8)
            : text || '';
    }
    function showError(text) {
        const box = $('error');
        box.textContent = text || '';
        box.hidden = !text;
    }

    function applyLanguage() {
        document.documentElement.lang = lang;
        for (const node of document.querySelectorAll('[data-i18n]')) {
            node.textContent = t(node.dataset.i18n);
        }
        render();
        renderTerminals();
        renderCalls();
        if (openDetail !== null) {
            showDetail(openDetail);
        }
    }

    // ---- the queue ----

    function isFinished(row) {
        return row.status === 'done' || row.status === 'no_show';
    }
    // An outcome or problem staff must look at (unless a re-check found the patient insured),
    // or a receipt number another check-in of the day already had (two patients may hold the
    // same number: ask which is which).
    function needsAttention(row) {
        const r = row.recheck;
        const resolved = Boolean(r && r.state === 'done' && r.outcome === 'valid');
        return Boolean((row.summary.attention && !resolved) || row.duplicate_receipt);
    }
    function recheckLine(r) {
        if (r.state === 'pending') {
            return t('desk.recheck.pending');
        }
        return r.state === 'done'
            ? t('desk.recheck.row_done', {outcome: named('desk.outcome.', r.outcome)})
            : t('desk.recheck.row_failed');
    }

    function actionButtons(row) {
        const cell = el('td', null, 'actions');
        const buttons = isFinished(row)
            ? [['waiting', 'desk.action.back']]
            : row.status === 'called'
              ? [['done', 'desk.action.done'], ['no_show', 'desk.action.no_show'],
                  ['waiting', 'desk.action.back']]
              : [['called', 'desk.action.call'], ['done', 'desk.action.done'],
                  ['no_show', 'desk.action.no_show']];
        for (const [status, key] of buttons) {
            const button = el('button', t(key), 'action action-' + status);
            button.type = 'button';
            button.dataset.action = status;
            button.addEventListener('click', () => setStatus(row.id, status));
            cell.appendChild(button);
        }
        const detail = el('button', t('desk.action.detail'), 'action action-detail');
        detail.type = 'button';
        detail.addEventListener('click', () => showDetail(row.id));
        cell.appendChild(detail);
        return cell;
    }

    function rowElement(row, nowMs) {
        const s = row.summary || {};
        const tr = document.createElement('tr');
        tr.dataset.id = row.id;
        tr.dataset.receipt = s.receipt_number || '';
        tr.dataset.status = row.status;
        tr.classList.add(needsAttention(row) ? 'attention' : 'confirmed', 'status-' + row.status);
        const waitEnd = isFinished(row) ? Date.parse(row.status_at) : nowMs;
        const waited = minutesBetween(row.checked_at, waitEnd);
        if (!isFinished(row) && waited >= config.wait_alert_min) {
            tr.classList.add('overdue');
        }
        if (row.id === openDetail) {
            tr.classList.add('selected');
        }
        const receipt = el('td', s.receipt_number, 'receipt');
        if (row.duplicate_receipt) {
            tr.classList.add('duplicate');
            receipt.appendChild(el('span', t('desk.queue.duplicate_receipt'), 'duplicate-note'));
        }
        tr.appendChild(receipt);
        tr.appendChild(el('td', row.local_time, 'time'));
        tr.appendChild(el('td', t('desk.wait.minutes', {min: waited}), 'wait'));
        const name = el('td', null, 'name');
        name.appendChild(el('span', s.name, 'kanji'));
        name.appendChild(el('span', s.kana, 'kana'));
        tr.appendChild(name);
        tr.appendChild(el('td', named('desk.method.', s.method || ''), 'method'));
        tr.appendChild(el('td', s.terminal_id, 'terminal'));
        const outcome = el('td', null, 'outcome');
        outcome.appendChild(el('span', named('desk.outcome.', s.outcome || ''), 'label'));
        if (s.problem) {
            outcome.appendChild(el('span', named('desk.problem.', s.problem), 'problem'));
        }
        if (row.recheck) {
            outcome.appendChild(el('span', recheckLine(row.recheck),
                'recheck recheck-' + row.recheck.state));
        }
        tr.appendChild(outcome);
        tr.appendChild(el('td', t('desk.status.' + row.status), 'status'));
        tr.appendChild(actionButtons(row));
        return tr;
    }

    function render() {
        const nowMs = now();
        const active = [];
        const finished = [];
        for (const row of rows.values()) {
            (isFinished(row) ? finished : active).push(row);
        }
        // Needs attention first, then oldest first; finished: latest first.
        active.sort((a, b) => (needsAttention(b) - needsAttention(a)) ||
            (Date.parse(a.checked_at) - Date.parse(b.checked_at)) || (a.id - b.id));
        finished.sort((a, b) => (Date.parse(b.status_at) - Date.parse(a.status_at)) ||
            (b.id - a.id));
        $('waiting').tBodies[0].replaceChildren(...active.map((r) => rowElement(r, nowMs)));
        $('finished').tBodies[0].replaceChildren(...finished.map((r) => rowElement(r, nowMs)));
        $('waiting-empty').hidden = active.length > 0;
        $('waiting').hidden = active.length === 0;
        $('finished-empty').hidden = finished.length > 0;
        $('finished').hidden = finished.length === 0;
        const attention = active.filter(needsAttention).length;
        $('counts').textContent = t('desk.queue.count', {count: active.length}) +
            (attention ? ' / ' + t('desk.queue.attention_count', {count: attention}) : '');
        $('clock').textContent = clockText(nowMs);
    }

    // The desk's time of day in the clinic's time zone (as the rows and the slips), whatever
    // zone this PC is set to.
    function clockText(ms) {
        const style = {hour: '2-digit', minute: '2-digit', hour12: false};
        try {
            return new Date(ms).toLocaleTimeString(lang, {...style, timeZone: config.time_zone});
        } catch (e) {
            return new Date(ms).toLocaleTimeString(lang, style); // a zone this browser lacks
        }
    }

    function upsert(row) {
        if (date !== null && row.local_date !== date) {
            return; // another day's check-in (a terminal's late delivery)
        }
        rows.set(row.id, row);
    }

    // Rows pushed while the list is on its way (id -> the latest): each is at least as new as
    // the list's copy, which may have been read before it changed.
    let pushedWhileLoading = null;

    async function loadQueue() {
        pushedWhileLoading = new Map();
        try {
            const answer = await fetch('/api/v1/queue', {cache: 'no-store'});
            if (!answer.ok) {
                throw new Error('queue ' + answer.status);
            }
            const list = await answer.json();
            setClock(list.now);
            date = list.date;
            rows.clear();
            for (const row of list.rows) {
                upsert(row);
            }
            for (const row of pushedWhileLoading.values()) {
                upsert(row);
            }
            render();
        } finally {
            pushedWhileLoading = null;
        }
    }

    async function setStatus(id, status) {
        try {
            const answer = await fetch('/api/v1/queue/status', {
                method: 'POST',
                headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken},
                body: JSON.stringify({id: id, status: status}),
            });
            if (!answer.ok) {
                throw new Error('status ' + answer.status);
            }
            upsert(await answer.json());
            showError('');
            render();
        } catch (e) {
            showError(t('desk.action.failed'));
        }
    }

    // ---- detail ----

    function addItem(list, key, value) {
        if (value === undefined || value === null || value === '') {
            return;
        }
        list.appendChild(el('dt', t(key)));
        list.appendChild(el('dd', value));
    }

    function codeText(code) {
        return code ? (code.label ? code.label + ' (' + code.code + ')' : code.code) : '';
    }

    // The insurance data of one person (the check-in's answer, or a re-check's).
    function fillPerson(list, p) {
        addItem(list, 'desk.detail.insurer_number', p.insurer_number);
        addItem(list, 'desk.detail.insurer_name', p.insurer_name);
        addItem(list, 'desk.detail.symbol_number', p.symbol_number);
        const copay = p.copay || {};
        addItem(list, 'desk.detail.copay', copay.percent
            ? t('desk.detail.copay_value', {n: copay.percent / 10}) +
                (copay.element ? ' (' + copay.element + ')' : '')
            : t('desk.detail.copay_unknown'));
        addItem(list, 'desk.detail.birthdate', ymd(p.birthdate));
        addItem(list, 'desk.detail.qualification_date', ymd(p.qualification_date));
        addItem(list, 'desk.detail.disqualification_date', ymd(p.disqualification_date));
        if (p.card_valid_date || p.card_expiration_date) {
            addItem(list, 'desk.detail.card_valid',
                ymd(p.card_valid_date) + ' – ' + ymd(p.card_expiration_date));
        }
        addItem(list, 'desk.detail.reason_of_loss', codeText(p.reason_of_loss));
        if (p.limit) {
            const l = p.limit;
            addItem(list, 'desk.detail.limit', [codeText(l.classification), codeText(l.flag),
                l.valid_start_date || l.valid_end_date
                    ? ymd(l.valid_start_date) + ' – ' + ymd(l.valid_end_date) : '']
                .filter(Boolean).join(' '));
        }
        for (const c of p.consents || []) {
            addItem(list, 'desk.consent.' + c.name, codeText(c));
        }
    }

    function fillDetail(list, d) {
        addItem(list, 'desk.detail.checked_at', d.local_time);
        addItem(list, 'desk.column.name', [d.name, d.kana].filter(Boolean).join(' / '));
        addItem(list, 'desk.column.outcome', named('desk.outcome.', d.outcome || ''));
        if (d.problem) {
            addItem(list, 'desk.detail.problem', named('desk.problem.', d.problem));
        }
        addItem(list, 'desk.detail.error_code',
            [d.error_code, d.processing_result_code].filter(Boolean).join(' '));
        addItem(list, 'desk.detail.notice', d.notice);
        const p = d.person;
        if (p) {
            fillPerson(list, p);
        } else if (!d.typed) {
            addItem(list, 'desk.detail.insurer_number', t('desk.detail.no_person'));
        }
        if (d.typed) {
            const typed = d.typed;
            list.appendChild(el('dt', t('desk.detail.typed'), 'group'));
            list.appendChild(el('dd', '', 'group'));
            addItem(list, 'desk.detail.insurer_number', typed.insurer_number);
            addItem(list, 'desk.detail.typed_symbol', typed.symbol);
            addItem(list, 'desk.detail.typed_number', typed.number);
            addItem(list, 'desk.detail.typed_branch', typed.branch);
            addItem(list, 'desk.detail.birthdate', ymd(typed.birthdate));
        }
        addItem(list, 'desk.detail.staff_id', d.staff_id);
        if (d.consent_answers && typeof d.consent_answers === 'object') {
            list.appendChild(el('dt', t('desk.detail.consent_answers'), 'group'));
            list.appendChild(el('dd', '', 'group'));
            for (const [question, answer] of Object.entries(d.consent_answers)) {
                list.appendChild(el('dt', named('desk.consent.', question)));
                list.appendChild(el('dd', typeof answer === 'string'
                    ? named('desk.consent_answer.', answer) : JSON.stringify(answer)));
            }
        }
        if (d.recheck) {
            const r = d.recheck;
            list.appendChild(el('dt', t('desk.recheck.result'), 'group'));
            list.appendChild(el('dd', '', 'group'));
            addItem(list, 'desk.recheck.when', t('desk.recheck.when_value', {
                time: timeText(r.finished_at || r.requested_at), staff: r.by}));
            if (r.state === 'done') {
                addItem(list, 'desk.column.outcome', named('desk.outcome.', r.outcome));
                addItem(list, 'desk.detail.notice', r.notice);
                if (r.person) {
                    fillPerson(list, r.person);
                }
            } else if (r.state === 'failed') {
                addItem(list, 'desk.column.outcome', has('desk.recheck.error.' + r.error)
                    ? t('desk.recheck.error.' + r.error)
                    : t('desk.recheck.error.other', {code: r.error}));
            } else {
                addItem(list, 'desk.column.outcome', t('desk.recheck.pending'));
            }
        }
    }

    // The clinic's time of day of an ISO time.
    function timeText(iso) {
        const ms = Date.parse(iso);
        return Number.isNaN(ms) ? '' : clockText(ms);
    }

    // ---- re-check (the desk asks the 資格確認端末 again, desk/recheck.hpp) ----

    const kRecheckFields = [
        // [member, label key, the field name in the desk's error message]
        ['insurer_number', 'desk.detail.insurer_number', 'insurer_number'],
        ['symbol', 'desk.detail.typed_symbol', 'insured_card_symbol'],
        ['number', 'desk.detail.typed_number', 'insured_identification_number'],
        ['branch', 'desk.detail.typed_branch', 'insured_branch_number'],
        ['birthdate', 'desk.detail.birthdate', 'birthdate'],
    ];

    function fillRecheck(d) {
        const box = $('recheck');
        box.replaceChildren();
        box.hidden = !config.recheck;
        if (!config.recheck) {
            return;
        }
        const pending = Boolean(d.recheck && d.recheck.state === 'pending');
        box.appendChild(el('h3', t('desk.recheck.heading')));
        box.appendChild(el('p', t('desk.recheck.hint'), 'hint'));
        const query = d.recheck_query || {};
        for (const [member, key, field] of kRecheckFields) {
            const label = el('label', t(key));
            const input = document.createElement('input');
            input.name = member;
            input.value = query[member] || '';
            input.autocomplete = 'off';
            input.inputMode = member === 'symbol' ? 'text' : 'numeric';
            input.dataset.field = field;
            if (member === 'birthdate') {
                input.placeholder = t('desk.recheck.birthdate_hint');
            }
            label.appendChild(input);
            box.appendChild(label);
        }
        const note = el('p', pending ? t('desk.recheck.pending') : '', 'recheck-note');
        note.setAttribute('role', 'status');
        const button = el('button', t('desk.recheck.submit'), 'action action-recheck');
        button.type = 'submit';
        button.disabled = pending;
        box.appendChild(button);
        box.appendChild(note);
        box.onsubmit = (event) => {
            event.preventDefault();
            sendRecheck(d.id, box, note, button);
        };
    }

    async function sendRecheck(id, box, note, button) {
        const body = {id: id};
        for (const input of box.querySelectorAll('input')) {
            input.classList.remove('invalid');
            body[input.name] = input.value.trim();
        }
        button.disabled = true;
        note.textContent = t('desk.recheck.pending');
        try {
            const answer = await fetch('/api/v1/queue/recheck', {
                method: 'POST',
                headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken},
                body: JSON.stringify(body),
            });
            if (answer.status === 202) {
                // The row (pending, then the result) comes as events; the answer may arrive
                // after the result, so it is not applied here.
                return;
            }
            const error = (await answer.json().catch(() => ({}))).error || {};
            button.disabled = false;
            if (error.code === 'invalid_field') {
                const input = box.querySelector(`input[data-field="${error.field}"]`);
                if (input) {
                    input.classList.add('invalid');
                    input.focus();
                }
                note.textContent = has('desk.recheck.invalid.' + error.field)
                    ? t('desk.recheck.invalid.' + error.field) : t('desk.recheck.error.other',
                        {code: error.field || answer.status});
            } else if (error.code === 'recheck_pending') {
                note.textContent = t('desk.recheck.busy');
            } else {
                note.textContent = t('desk.recheck.error.other', {code: error.code || answer.status});
            }
        } catch (e) {
            button.disabled = false;
            note.textContent = t('desk.action.failed');
        }
    }

    async function showDetail(id) {
        openDetail = id;
        const row = rows.get(id);
        const receipt = row ? row.summary.receipt_number : '';
        $('detail').hidden = false;
        $('detail-heading').textContent = t('desk.detail.heading', {receipt: receipt});
        const list = $('detail-list');
        list.replaceChildren(el('dd', t('desk.detail.loading')));
        $('recheck').hidden = true;
        render();
        try {
            const answer = await fetch('/api/v1/queue/detail?id=' + encodeURIComponent(id),
                {cache: 'no-store'});
            if (!answer.ok) {
                throw new Error('detail ' + answer.status);
            }
            const detail = await answer.json();
            if (openDetail !== id) {
                return;
            }
            list.replaceChildren();
            fillDetail(list, detail);
            fillRecheck(detail);
        } catch (e) {
            list.replaceChildren(el('dd', t('desk.detail.failed')));
        }
    }

    function closeDetail() {
        openDetail = null;
        $('detail').hidden = true;
        render();
    }

    // ---- terminals ----

    function renderTerminals() {
        const nowMs = now();
        const body = $('terminals').tBodies[0];
        body.replaceChildren(...terminals.map((term) => {
            const tr = document.createElement('tr');
            tr.dataset.terminal = term.terminal_id;
            const silentS = Math.floor((nowMs - Date.parse(term.received_at)) / 1000);
            const silent = silentS > config.terminal_silent_s;
            // How long a card has lain idle on the reader, moving on with the clock.
            const idleS = term.card_idle_s === undefined ? null
                : term.card_idle_s + Math.max(0, Math.floor((nowMs - terminalsAt) / 1000));
            const left = idleS !== null && idleS >= config.card_left_s;
            if (silent) {
                tr.classList.add('silent');
            } else if (term.attention || left) {
                tr.classList.add('attention');
            }
            const name = el('td', term.terminal_id);
            if (term.version) {
                name.appendChild(el('span', 'v' + term.version, 'version'));
            }
            tr.appendChild(name);
            tr.appendChild(el('td', term.printer_keys.map((k) => t(k)).join(lang === 'ja' ? '、' : ', ')));
            tr.appendChild(el('td', t(term.reader_available ? 'desk.terminals.reader.ok'
                : 'desk.terminals.reader.unavailable')));
            // The card: words for the names this desk knows, a newer terminal's as it came, '?'
            // when the terminal does not say.
            const card = el('td', term.card === undefined ? '?'
                : named('desk.terminals.card.', term.card), 'card');
            if (left) {
                card.classList.add('left');
                card.appendChild(el('span', t('desk.terminals.card.left',
                    {min: Math.floor(idleS / 60)}), 'card-note'));
            }
            tr.appendChild(card);
            tr.appendChild(el('td', term.outbox_depth < 0 ? '?' : String(term.outbox_depth)));
            // Today's reports by time only.
            const heard = el('td', date && term.local_time.startsWith(date + ' ')
                ? term.local_time.slice(date.length + 1) : term.local_time);
            if (silent) {
                heard.appendChild(el('span', t('desk.terminals.silent', {s: silentS}), 'silent-note'));
            }
            tr.appendChild(heard);
            return tr;
        }));
        $('terminals-empty').hidden = terminals.length > 0;
        $('terminals').hidden = terminals.length === 0;
    }

    // ---- calls for staff (a patient pressed スタッフを呼ぶ on a terminal) ----

    // A short two-tone chime, made by the browser itself (no sound file). Browsers may refuse
    // sound until the page was clicked once; the banner shows either way.
    function chime() {
        try {
            const audio = new (window.AudioContext || window.webkitAudioContext)();
            [[880, 0], [660, 0.25]].forEach(([hz, at]) => {
                const tone = audio.createOscillator();
                const gain = audio.createGain();
                tone.frequency.value = hz;
                gain.gain.setValueAtTime(0.2, audio.currentTime + at);
                gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + at + 0.22);
                tone.connect(gain).connect(audio.destination);
                tone.start(audio.currentTime + at);
                tone.stop(audio.currentTime + at + 0.23);
            });
            setTimeout(() => audio.close(), 1000);
        } catch (e) {
            // No audio on this PC: the banner is the alert.
        }
    }

    async function acknowledgeCall(term) {
        try {
            const answer = await fetch('/api/v1/calls/ack', {
                method: 'POST',
                headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken},
                body: JSON.stringify({terminal_id: term.terminal_id, call_id: term.call.id}),
            });
            if (!answer.ok) {
                showError(t('desk.call.ack_failed'));
            }
        } catch (e) {
            showError(t('desk.call.ack_failed'));
        }
    }

    function renderCalls() {
        const box = $('calls');
        const open = terminals.filter((term) => term.call && !term.call_acknowledged);
        let fresh = false;
        box.replaceChildren(...open.map((term) => {
            const key = term.terminal_id + '/' + term.call.id;
            if (!callsHeard.has(key)) {
                callsHeard.add(key);
                fresh = true;
            }
            const item = el('div', null, 'call');
            item.dataset.terminal = term.terminal_id;
            // The screen's own words where it has some (error:pin_locked: staff can confirm by
            // the card's photo at the terminal), else its phase's.
            const screen = String(term.call.screen || '');
            const variant = 'desk.screen.' + screen.replace(/:/g, '.');
            item.appendChild(el('strong', t('desk.call.text', {terminal: term.terminal_id})));
            item.appendChild(el('span', t('desk.call.screen', {
                screen: has(variant) ? t(variant) : named('desk.screen.', screen.split(':')[0]),
                minutes: minutesBetween(term.call.since, now()),
            })));
            const button = el('button', t('desk.call.ack'));
            button.type = 'button';
            button.dataset.action = 'ack-call';
            button.addEventListener('click', () => acknowledgeCall(term));
            item.appendChild(button);
            return item;
        }));
        box.hidden = open.length === 0;
        if (fresh) {
            chime();
        }
    }

    function takeTerminals(list) {
        setClock(list.now);
        terminalsAt = Date.parse(list.now) || now();
        terminals = list.terminals;
        renderTerminals();
        renderCalls();
    }

    let terminalPushes = 0; // terminal lists pushed by the stream so far

    async function loadTerminals() {
        const pushes = terminalPushes;
        const answer = await fetch('/api/v1/terminals', {cache: 'no-store'});
        // A list pushed while this one was on its way is at least as new: this one may have
        // been read before the last report, and would put an older state back.
        if (answer.ok) {
            const list = await answer.json();
            if (terminalPushes === pushes) {
                takeTerminals(list);
            }
        }
    }

    // ---- live updates ----

    function connect() {
        const events = new EventSource('/api/v1/events');
        const live = $('live');
        events.addEventListener('hello', () => {
            live.dataset.i18n = 'desk.queue.live';
            live.textContent = t('desk.queue.live');
            live.className = 'live on';
            // Whatever happened while the stream was down is in the list.
            loadQueue().catch(() => showError(t('desk.detail.failed')));
            loadTerminals().catch(() => {});
        });
        events.addEventListener('row', (event) => {
            const row = JSON.parse(event.data);
            if (pushedWhileLoading !== null) {
                pushedWhileLoading.set(row.id, row);
            }
            const before = rows.get(row.id);
            upsert(row);
            render();
            // A re-check of the open detail ended: show its result.
            const state = (r) => (r && r.recheck ? r.recheck.state + r.recheck.at : '');
            if (row.id === openDetail && state(before) !== state(row)) {
                showDetail(row.id);
            }
        });
        events.addEventListener('terminals', (event) => {
            terminalPushes += 1;
            takeTerminals(JSON.parse(event.data));
        });
        events.addEventListener('error', () => {
            live.dataset.i18n = 'desk.queue.offline';
            live.textContent = t('desk.queue.offline');
            live.className = 'live off';
        });
    }

    $('lang').addEventListener('click', () => {
        lang = lang === 'ja' ? 'en' : 'ja';
        localStorage.setItem('uketsuke.desk.lang', lang);
        applyLanguage();
    });
    $('detail-close').addEventListener('click', closeDetail);
    // Waiting minutes and silent terminals move on with the clock.
    setInterval(() => {
        render();
        renderTerminals();
        renderCalls();
    }, 15000);

    applyLanguage();
    connect();
})();
