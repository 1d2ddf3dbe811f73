// Browser tests of the desk's live staff page (docs/programs/uketsuke-desk.md "The page"):
// headless Debian chromium driven by playwright-core against a real uketsuke-desk that run.sh
// started. Check-ins arrive as a terminal sends them: a mutual-TLS POST with the test terminal
// certificate. Every wait is on a condition (waitFor / waitForFunction), never a sleep.
//   DESK_URL    https://127.0.0.1:PORT of the desk
//   PKI_TLS     the test PKI's tls/ folder (ca.pem, terminal.pem, terminal.key)
//   DESK_PASSWORD  the password of the staff accounts "reception" and "locked"
//   BROWSER     chromium (default) or firefox
//   CHROMIUM    Chromium's binary (default /usr/bin/chromium)
//   FIREFOX     Firefox's binary (default /usr/bin/firefox-esr), driven over WebDriver BiDi
//   SCREENSHOT_DIR  when set, a 1366x768 screenshot of the page and the display goes there
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import fs from 'node:fs';
import os from 'node:os';
import crypto from 'node:crypto';
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {chromium} from 'playwright-core';
// Firefox ESR speaks WebDriver BiDi; the newest playwright-core sends BiDi commands that
// Firefox ESR 153 does not know yet, so Firefox gets the older one package.json pins.
import {firefox} from 'playwright-core-firefox';

const deskUrl = process.env.DESK_URL;
const password = process.env.DESK_PASSWORD;
const tls = process.env.PKI_TLS;
const kLive = 1000; // a check-in must show on every open page within a second

let browser;
let contexts = [];

// Types `name` and `pass` into the log-in form the page shows and sends it.
// The answer to the form's POST (the page shown after it).
async function submitLogin(page, name, pass) {
    await page.locator('#name').fill(name);
    await page.locator('#password').fill(pass);
    const [response] = await Promise.all([
        page.waitForNavigation(),
        page.locator('button[type="submit"]').click(),
    ]);
    return response;
}

// The queue sends a page without a session to /login; this logs in as "reception".
async function logIn(page) {
    assert.equal(new URL(page.url()).pathname, '/login');
    await submitLogin(page, 'reception', password);
    assert.equal(new URL(page.url()).pathname, '/');
}

async function newContext() {
    const context = await browser.newContext({
        ignoreHTTPSErrors: true, // the test PKI's desk certificate; the page is what is tested
        viewport: {width: 1366, height: 768},
        locale: 'ja-JP',
        timezoneId: 'UTC', // a PC set to another zone than the clinic's (Asia/Tokyo)
    });
    contexts.push(context);
    return context;
}

// `prepare(context)`, when given, runs before the page opens (e.g. to install a fake clock).
async function openQueue(prepare) {
    const context = await newContext();
    if (prepare) {
        await prepare(context);
    }
    const page = await context.newPage();
    page.problems = [];
    page.on('dialog', (dialog) => {
        page.problems.push('dialog: ' + dialog.message());
        dialog.dismiss();
    });
    page.on('console', (message) => {
        if (message.type() === 'error') {
            page.problems.push('console: ' + message.text());
        }
    });
    page.on('pageerror', (error) => page.problems.push('pageerror: ' + error.message));
    await page.goto(deskUrl + '/');
    await logIn(page);
    // The event stream is live once the desk said hello.
    await page.locator('#live.on').waitFor({timeout: 5000});
    await page.evaluate(() => {
        window.notReloaded = true;
    });
    return page;
}

let sequence = 0;

function checkIn({receipt, name = '試験 花子', kana = 'ｼｹﾝ ﾊﾅｺ', outcome = 'valid', problem,
    minutesAgo = 0}) {
    sequence += 1;
    const body = {
        idempotency_key: 'browser-' + process.pid + '-' + sequence,
        terminal_id: 'KIOSK-0001',
        receipt_number: receipt,
        // Half a minute more, so the whole minutes shown do not depend on the second.
        checked_at: new Date(Date.now() - (minutesAgo ? minutesAgo * 60000 + 30000 : 0))
            .toISOString().replace(/\.\d+Z$/, 'Z'),
        method: outcome === 'valid' ? 'pin' : 'insurance_card',
        outcome: outcome,
        qualification: {
            MessageHeader: {SegmentOfResult: '1', QualificationConfirmationDate: '20261205'},
            MessageBody: {
                ProcessingResultStatus: '1',
                QualificationValidity: outcome === 'valid' ? '1' : '4',
                ResultList: outcome === 'valid' || name ? [{
                    InsurerNumber: '06130012', InsuredCardSymbol: '12',
                    InsuredIdentificationNumber: '345', InsuredBranchNumber: '01',
                    Name: name, NameKana: kana, Birthdate: '19800101',
                    QualificationDate: '20200401',
                }] : [],
            },
        },
    };
    if (problem) {
        body.problem = problem;
    }
    return post('/api/v1/checkins', body);
}

// `identity`: the client certificate and key (PEM text); the test PKI's terminal by default,
// none when null.
function post(pathName, body, identity = undefined) {
    const data = Buffer.from(JSON.stringify(body));
    const url = new URL(deskUrl + pathName);
    const own = identity === undefined
        ? {cert: fs.readFileSync(path.join(tls, 'terminal.pem')),
            key: fs.readFileSync(path.join(tls, 'terminal.key'))}
        : identity ?? {};
    return new Promise((resolve, reject) => {
        const request = https.request({
            host: url.hostname, port: url.port, path: url.pathname, method: 'POST',
            ca: fs.readFileSync(path.join(tls, 'ca.pem')),
            ...own,
            servername: 'localhost',
            checkServerIdentity: () => undefined,
            headers: {'Content-Type': 'application/json', 'Content-Length': data.length},
        }, (response) => {
            let text = '';
            response.on('data', (chunk) => { text += chunk; });
            response.on('end', () => resolve({status: response.statusCode, body: text}));
        });
        request.on('error', reject);
        request.end(data);
    });
}

// With SCREENSHOT_DIR set, a 1366x768 screenshot of `page` as NAME.png there. The caret stays
// as it is: hiding it would inject a style element, which the page's CSP refuses in Firefox.
async function shot(page, name) {
    if (process.env.SCREENSHOT_DIR) {
        await page.screenshot({path: path.join(process.env.SCREENSHOT_DIR, name + '.png'),
            caret: 'initial'});
    }
}

function row(page, receipt, table = 'waiting') {
    return page.locator(`#${table} tbody tr[data-receipt="${receipt}"]`);
}

before(async () => {
    assert.ok(deskUrl, 'DESK_URL is not set');
    browser = process.env.BROWSER === 'firefox'
        ? await firefox.launch({
            executablePath: process.env.FIREFOX || '/usr/bin/firefox-esr',
            channel: 'moz-firefox', // playwright-core's BiDi driver, not its patched Firefox
        })
        : await chromium.launch({
            executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
            args: ['--no-sandbox'],
        });
});

after(async () => {
    for (const context of contexts) {
        await context.close();
    }
    if (browser) {
        await browser.close();
    }
});

let pageA;
let pageB;

test('a check-in appears on every open page within a second, without reload', async () => {
    pageA = await openQueue();
    pageB = await openQueue();
    const sent = await checkIn({receipt: '0101', minutesAgo: 3});
    assert.equal(sent.status, 201, sent.body);
    await Promise.all([
        row(pageA, '0101').waitFor({timeout: kLive}),
        row(pageB, '0101').waitFor({timeout: kLive}),
    ]);
    assert.equal(await pageA.evaluate(() => window.notReloaded), true);
    const cells = row(pageA, '0101');
    assert.equal(await cells.locator('td.name .kanji').textContent(), '試験 花子');
    assert.equal(await cells.locator('td.name .kana').textContent(), 'シケン ハナコ');
    assert.equal(await cells.locator('td.outcome .label').textContent(), '有効');
    assert.equal(await cells.locator('td.method').textContent(), 'マイナ保険証');
    assert.equal(await cells.locator('td.terminal').textContent(), 'KIOSK-0001');
    assert.equal(await cells.locator('td.wait').textContent(), '3 分');
    assert.match(await cells.getAttribute('class'), /\bconfirmed\b/);
    // The header's clock is the clinic's (Asia/Tokyo), not this machine's zone (UTC in CI).
    const tokyo = (ms) => new Date(ms).toLocaleTimeString('ja', {hour: '2-digit',
        minute: '2-digit', hour12: false, timeZone: 'Asia/Tokyo'});
    const before = tokyo(Date.now() - 60000);
    const shown = await pageA.locator('#clock').textContent();
    assert.ok([before, tokyo(Date.now())].includes(shown), shown);
});

test('a needs-attention row is coloured and sorted on top; a name is shown as text', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const sent = await checkIn({receipt: '0102', name: hostile, kana: '', outcome: 'unconfirmed',
        problem: 'pin_locked'});
    assert.equal(sent.status, 201, sent.body);
    const attention = row(pageA, '0102');
    await attention.waitFor({timeout: kLive});
    assert.match(await attention.getAttribute('class'), /\battention\b/);
    assert.equal(await pageA.locator('#waiting tbody tr').first().getAttribute('data-receipt'),
        '0102');
    // The outcome and the problem in the staff's words (desk.outcome.*, desk.problem.*).
    assert.equal(await attention.locator('td.outcome .label').textContent(), '資格未確認');
    assert.equal(await attention.locator('td.outcome .problem').textContent(), '暗証番号ロック');
    assert.equal(await attention.locator('td.name .kanji').textContent(), hostile);
    assert.equal(await pageA.locator('#waiting img').count(), 0);
    const colours = await pageA.evaluate(() => {
        const style = (r) => getComputedStyle(
            document.querySelector(`#waiting tr[data-receipt="${r}"] td.receipt`)).backgroundColor;
        return [style('0101'), style('0102')];
    });
    assert.notEqual(colours[0], colours[1]);
    // An outcome no desk table knows, with a problem no table knows: the names as they came.
    await checkIn({receipt: '0103', name: '', outcome: 'from_the_future', problem: 'odd_problem'});
    const odd = row(pageA, '0103');
    await odd.waitFor({timeout: kLive});
    assert.match(await odd.getAttribute('class'), /\battention\b/);
    assert.equal(await odd.locator('td.outcome .label').textContent(), 'from_the_future');
    assert.equal(await odd.locator('td.outcome .problem').textContent(), 'odd_problem');
});

test('a receipt number that came twice in a day is marked on the second row', async () => {
    // Two terminals (or a re-imaged one) gave the same number: the desk keeps both and says so.
    assert.equal((await checkIn({receipt: '0104', minutesAgo: 2})).status, 201);
    const again = await checkIn({receipt: '0104', name: '別人 太郎', kana: 'ﾍﾞﾂｼﾞﾝ ﾀﾛｳ'});
    assert.equal(again.status, 201, again.body);
    const both = pageB.locator('#waiting tbody tr[data-receipt="0104"]');
    await both.nth(1).waitFor({timeout: kLive});
    const marked = pageB.locator('#waiting tbody tr.duplicate[data-receipt="0104"]');
    assert.equal(await marked.count(), 1);
    assert.equal(await marked.locator('td.name .kanji').textContent(), '別人 太郎');
    assert.match(await marked.getAttribute('class'), /\battention\b/);
    assert.equal(await marked.locator('td.receipt .duplicate-note').textContent(),
        '番号重複：ご本人に確認');
    // The first one is an ordinary confirmed row.
    const first = pageB.locator('#waiting tbody tr[data-receipt="0104"]:not(.duplicate)');
    assert.match(await first.getAttribute('class'), /\bconfirmed\b/);
});

test('a re-check from the detail asks the 資格確認端末 and shows on every page', async () => {
    // 0102: PIN locked, the answer's person carries numbers the receptionist corrects.
    await row(pageB, '0102').locator('button.action-detail').click();
    const form = pageB.locator('#recheck');
    await form.locator('input[name="insurer_number"]').waitFor({timeout: 5000});
    assert.equal(await form.locator('input[name="number"]').inputValue(), '345');
    assert.equal(await form.locator('input[name="birthdate"]').inputValue(), '19800101');
    // A wrong field is marked and explained; nothing is sent.
    await form.locator('input[name="birthdate"]').fill('1980/1/1');
    await form.locator('button[type="submit"]').click();
    await form.locator('input[name="birthdate"].invalid').waitFor({timeout: 5000});
    assert.match(await form.locator('.recheck-note').textContent(), /西暦 8 桁/);
    // Chromium logs the refused request (400); that was the point here.
    pageB.problems = pageB.problems.filter((line) => !line.includes('400'));
    await form.locator('input[name="birthdate"]').fill('19800101');
    await form.locator('input[name="insurer_number"]').fill('06139999'); // the persona "valid"
    await form.locator('button[type="submit"]').click();
    // The answer reaches both pages: the row says so and no longer needs attention.
    const doneA = row(pageA, '0102').locator('td.outcome .recheck-done');
    await doneA.waitFor({timeout: 10000});
    assert.equal(await doneA.textContent(), '再確認：有効');
    await row(pageB, '0102').locator('td.outcome .recheck-done').waitFor({timeout: kLive});
    assert.match(await row(pageB, '0102').getAttribute('class'), /\bconfirmed\b/);
    // The detail shows the answer's insurance data and who asked.
    const list = pageB.locator('#detail-list');
    await list.locator('dt', {hasText: '再確認の結果'}).waitFor({timeout: 5000});
    const text = await list.textContent();
    assert.ok(text.includes('受付健康保険組合'), text);
    assert.ok(text.includes('reception'), text);
    await shot(pageB, 'recheck');
    await pageB.locator('#detail-close').click();
});

test('called and done on one page change the row on the second page', async () => {
    await row(pageA, '0101').locator('button[data-action="called"]').click();
    await pageB.locator('#waiting tr[data-receipt="0101"][data-status="called"]')
        .waitFor({timeout: kLive});
    assert.equal(await row(pageB, '0101').locator('td.status').textContent(), '呼出中');

    const display = await contexts[0].newPage();
    await display.goto(deskUrl + '/display');
    await display.locator('#called li', {hasText: '0101'}).waitFor({timeout: 5000});
    assert.equal(await display.locator('body').evaluate((b) => b.textContent.includes('花子')),
        false);
    await shot(display, 'display');

    await row(pageA, '0101').locator('button[data-action="done"]').click();
    await row(pageB, '0101', 'finished').waitFor({timeout: kLive});
    assert.equal(await row(pageB, '0101').count(), 0);
    assert.equal(await row(pageB, '0101', 'finished').getAttribute('data-status'), 'done');
    // The display no longer calls it.
    await display.locator('#called li', {hasText: '0101'}).waitFor({state: 'detached',
        timeout: 5000});
});

test('the detail shows the insurance data, and the page switches to English', async () => {
    await row(pageA, '0101', 'finished').locator('button.action-detail').click();
    const list = pageA.locator('#detail-list');
    await list.locator('dd', {hasText: '06130012'}).waitFor({timeout: 5000});
    const text = await list.textContent();
    assert.ok(text.includes('12・345（01）'), text);
    assert.ok(text.includes('3 割'), text);
    assert.ok(text.includes('1980/01/01'), text);
    await shot(pageA, 'queue-ja');
    await pageA.locator('#lang').click();
    await pageA.locator('h1', {hasText: 'Reception queue'}).waitFor({timeout: 5000});
    assert.equal(await row(pageA, '0102').locator('td.outcome .problem').textContent(),
        'PIN locked');
    await shot(pageA, 'queue-en');
});

test('a terminal health report reaches the panel live', async () => {
    const sent = await post('/api/v1/terminals/health', {
        terminal_id: 'KIOSK-0001',
        reported_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        printer: {reachable: true, online: false, paper_out: true, paper_near_end: false,
            cover_open: false, error: false},
        reader_available: true,
        outbox_depth: 1,
    });
    assert.equal(sent.status, 200, sent.body);
    const terminal = pageB.locator('#terminals tr[data-terminal="KIOSK-0001"]');
    await terminal.waitFor({timeout: kLive});
    assert.match(await terminal.textContent(), /用紙切れ/);
    assert.match(await terminal.getAttribute('class'), /\battention\b/);
    await shot(pageB, 'queue-b');
});

// A health report of KIOSK-0001 with its printer fine, nothing to send and the card as given
// (`card` undefined: an older terminal that does not say; `idleS`: lying idle that long).
function reportCard(card, idleS) {
    const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    return post('/api/v1/terminals/health', {
        terminal_id: 'KIOSK-0001',
        reported_at: iso(Date.now()),
        printer: {reachable: true, online: true, paper_out: false, paper_near_end: false,
            cover_open: false, error: false},
        reader_available: true,
        outbox_depth: 0,
        ...(card === undefined ? {} : {card}),
        ...(idleS === undefined ? {} : {card_idle_since: iso(Date.now() - idleS * 1000)}),
    });
}

// Waits until KIOSK-0001's card cell on `page` reads `text`.
async function cardShows(page, text) {
    await page.waitForFunction((expected) => {
        const cell = document.querySelector('#terminals tr[data-terminal="KIOSK-0001"] td.card');
        return cell !== null && cell.textContent === expected;
    }, text, {timeout: kLive});
}

test('the card on a terminal\'s reader shows in plain words, a forgotten one as a warning', async () => {
    const terminal = pageB.locator('#terminals tr[data-terminal="KIOSK-0001"]');
    const card = terminal.locator('td.card');
    assert.equal(await pageB.locator('#terminals th[data-i18n="desk.terminals.column.card"]')
        .textContent(), 'カード');

    assert.equal((await reportCard(undefined)).status, 200); // an older terminal
    await cardShows(pageB, '?');
    assert.doesNotMatch(await terminal.getAttribute('class') || '', /\battention\b/);

    assert.equal((await reportCard('present')).status, 200); // in use by a check-in
    await cardShows(pageB, 'あり');
    assert.doesNotMatch(await terminal.getAttribute('class') || '', /\battention\b/);

    // The patient walked away from it 5 minutes ago: amber, with the minutes.
    assert.equal((await reportCard('present', 300)).status, 200);
    await cardShows(pageB, 'あり取り忘れ？（5 分）');
    assert.equal(await card.locator('.card-note').textContent(), '取り忘れ？（5 分）');
    assert.match(await card.getAttribute('class'), /\bleft\b/);
    assert.match(await terminal.getAttribute('class'), /\battention\b/);
    await shot(pageB, 'queue-card-left');

    assert.equal((await reportCard('absent')).status, 200); // taken
    await cardShows(pageB, 'なし');
    assert.doesNotMatch(await terminal.getAttribute('class') || '', /\battention\b/);

    assert.equal((await reportCard('unreadable')).status, 200);
    await cardShows(pageB, '読めません');
    assert.match(await terminal.getAttribute('class'), /\battention\b/);
    assert.equal((await reportCard('warm')).status, 200); // a newer terminal's name, as sent
    await cardShows(pageB, 'warm');

    // English words after the language switch.
    assert.equal((await reportCard('not_my_number_card')).status, 200);
    await cardShows(pageB, 'マイナンバーカードではありません');
    await pageB.locator('#lang').click();
    await cardShows(pageB, 'Not a My Number card');
    await pageB.locator('#lang').click();
    await cardShows(pageB, 'マイナンバーカードではありません');
    assert.equal((await reportCard('absent')).status, 200);
    await cardShows(pageB, 'なし');
});

test('a card lying idle turns to a warning as the page\'s clock passes card_left_s', async () => {
    // The page's own clock, run forward: no waiting for the quarter-minute redraw.
    const page = await openQueue((context) => context.clock.install());
    const terminal = page.locator('#terminals tr[data-terminal="KIOSK-0001"]');
    assert.equal((await reportCard('present', 40)).status, 200); // 40 s of the desk's 60
    await cardShows(page, 'あり');
    await page.clock.runFor(30000); // the redraw every 15 s: now about 70 s
    await cardShows(page, 'あり取り忘れ？（1 分）');
    assert.match(await terminal.getAttribute('class'), /\battention\b/);
    assert.equal((await reportCard('absent')).status, 200);
    await cardShows(page, 'なし');
    assert.deepEqual(page.problems, []);
});

test('a call for staff shows on top with its screen until someone acknowledges it', async () => {
    const report = (call) => post('/api/v1/terminals/health', {
        terminal_id: 'KIOSK-0001',
        reported_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        printer: {reachable: true, online: true, paper_out: false, paper_near_end: false,
            cover_open: false, error: false},
        reader_available: true,
        outbox_depth: 0,
        version: '0.9.0',
        ...(call ? {call} : {}),
    });
    const sent = await report({id: 'call-b1', screen: 'enter_pin',
        since: new Date().toISOString().replace(/\.\d+Z$/, 'Z')});
    assert.equal(sent.status, 200, sent.body);
    const bannerA = pageA.locator('#calls .call[data-terminal="KIOSK-0001"]');
    const bannerB = pageB.locator('#calls .call[data-terminal="KIOSK-0001"]');
    await Promise.all([bannerA.waitFor({timeout: kLive}), bannerB.waitFor({timeout: kLive})]);
    assert.match(await bannerB.textContent(), /暗証番号の入力/);
    assert.match(await pageB.locator('#terminals tr[data-terminal="KIOSK-0001"]').textContent(),
        /v0\.9\.0/);
    await shot(pageB, 'queue-call');
    // A locked PIN's screen says what staff can do there: confirm by the card's photo.
    const locked = await report({id: 'call-b1', screen: 'error:pin_locked',
        since: new Date().toISOString().replace(/\.\d+Z$/, 'Z')});
    assert.equal(locked.status, 200, locked.body);
    await pageB.waitForFunction(() => /目視/.test(
        document.querySelector('#calls .call[data-terminal="KIOSK-0001"]').textContent),
    null, {timeout: kLive});
    assert.match(await bannerB.textContent(), /暗証番号ロック/);
    // One receptionist answers: the banner leaves every page, the terminal's call stays open
    // until the terminal ends it.
    await bannerA.locator('button[data-action="ack-call"]').click();
    await Promise.all([bannerA.waitFor({state: 'detached', timeout: kLive}),
        bannerB.waitFor({state: 'detached', timeout: kLive})]);
    assert.equal(await pageB.locator('#calls').isHidden(), true);
    const ended = await report(null);
    assert.equal(ended.status, 200, ended.body);
});

test('a state change without the CSRF token is refused, with it accepted', async () => {
    const answers = await pageA.evaluate(async () => {
        const body = JSON.stringify({id: 1, status: 'done'}); // 0101, already done
        const headers = {'Content-Type': 'application/json'};
        const without = await fetch('/api/v1/queue/status', {method: 'POST', body, headers});
        const forged = await fetch('/api/v1/queue/status', {method: 'POST', body,
            headers: {...headers, 'X-CSRF-Token': '0'.repeat(64)}});
        const token = document.querySelector('meta[name="csrf-token"]').content;
        const right = await fetch('/api/v1/queue/status', {method: 'POST', body,
            headers: {...headers, 'X-CSRF-Token': token}});
        return [without.status, await without.text(), forged.status, right.status];
    });
    // Chromium logs each refused request (Firefox does not); those were the point of this test.
    pageA.problems = pageA.problems.filter((line) => !line.includes('403'));
    assert.equal(answers[0], 403);
    assert.match(answers[1], /csrf_failed/);
    assert.equal(answers[2], 403);
    assert.equal(answers[3], 200);
});

test('wrong passwords lock the account, even against the right one', async () => {
    const page = await (await newContext()).newPage();
    await page.goto(deskUrl + '/');
    assert.equal(new URL(page.url()).pathname, '/login');
    for (let i = 0; i < 4; i += 1) {
        const refused = await submitLogin(page, 'locked', 'wrong-' + i);
        assert.equal(refused.status(), 401);
    }
    // The fifth wrong password in a row locks the name (login_max_failures).
    assert.equal((await submitLogin(page, 'locked', 'wrong-4')).status(), 429);
    const locked = await submitLogin(page, 'locked', password);
    assert.equal(locked.status(), 429);
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.goto(deskUrl + '/');
    assert.equal(new URL(page.url()).pathname, '/login');
    // Another account on the same PC still logs in.
    await logIn(page);
});

test('an administrator reads the terminals\' staff audit lines, a receptionist has no link', async () => {
    const sent = await post('/api/v1/terminals/audit', {
        terminal_id: 'KIOSK-0001',
        entries: [
            {id: 'browser-a1', at: '2026-12-06T01:02:03Z', staff_id: 's01', action: 'unlock'},
            {id: 'browser-a2', at: '2026-12-06T01:03:00Z', staff_id: 's01',
                action: 'setting timeouts.result_s=25'},
        ],
    });
    assert.equal(sent.status, 200, sent.body);
    assert.equal(await pageA.locator('#audit-link').count(), 0);

    const context = await newContext();
    const page = await context.newPage();
    await page.goto(deskUrl + '/');
    await submitLogin(page, 'manager', password);
    await page.locator('#audit-link').click();
    await page.waitForURL((url) => url.pathname === '/audit');
    const lines = page.locator('#audit tbody tr.terminal');
    await lines.first().waitFor({timeout: 5000});
    const text = await page.locator('#audit').innerText();
    // Times in the clinic's zone (Asia/Tokyo), whatever the PC's.
    assert.match(text, /2026-12-06 10:03:00\s+端末 KIOSK-0001\s+s01\s+setting\s+timeouts\.result_s=25/);
    assert.match(text, /端末 KIOSK-0001\s+s01\s+unlock/);
    // The desk's own lines are there too: the receptionist's log-in.
    assert.match(text, /reception\s+login\s+ok/);
    await shot(page, 'audit');

    // A receptionist who types the address is refused.
    const refused = await pageA.request.get(deskUrl + '/audit');
    assert.equal(refused.status(), 403);
});

// A terminal's side of pairing (docs/pairing.md), with the openssl command for the request:
// the proof is HMAC-SHA-256 over the request, keyed with the hex of SHA-256(code).
function pairTerminal(code) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uketsuke-pair-'));
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
        '-nodes', '-keyout', path.join(dir, 'key.pem'), '-subj', '/CN=browser-terminal',
        '-out', path.join(dir, 'csr.pem')], {stdio: 'ignore'});
    const csr = fs.readFileSync(path.join(dir, 'csr.pem'), 'utf8');
    const key = fs.readFileSync(path.join(dir, 'key.pem'), 'utf8');
    fs.rmSync(dir, {recursive: true});
    const proofKey = crypto.createHash('sha256').update(code).digest('hex');
    const proof = crypto.createHmac('sha256', proofKey).update(csr).digest('hex');
    return {key, request: {csr, proof}};
}

test('an administrator pairs a terminal from 端末の接続 and revokes it there', async () => {
    assert.equal(await pageA.locator('#terminals-link').count(), 0);
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(deskUrl + '/');
    await submitLogin(page, 'manager', password);
    await page.locator('#terminals-link').click();
    await page.waitForURL((url) => url.pathname === '/terminals');
    await page.locator('#terminal-id').fill('KIOSK-0009');
    await Promise.all([page.waitForNavigation(), page.locator('#make-code').click()]);
    const shown = await page.locator('#code-digits').innerText();
    assert.match(shown, /^\d{4} \d{4} \d{4}$/);
    assert.match(await page.locator('#code').innerText(), /端末 KIOSK-0009 の接続コード/);
    await shot(page, 'terminals-code');

    const terminal = pairTerminal(shown.replaceAll(' ', ''));
    const paired = await post('/api/v1/pair', terminal.request, null);
    assert.equal(paired.status, 200, paired.body);
    const reply = JSON.parse(paired.body);
    assert.equal(reply.terminal_id, 'KIOSK-0009');
    const identity = {cert: reply.certificate, key: terminal.key};
    const health = {terminal_id: 'KIOSK-0009',
        reported_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        printer: {reachable: true, online: true, paper_out: false, paper_near_end: false,
            cover_open: false, error: false},
        reader_available: true, outbox_depth: 0};
    const admitted = await post('/api/v1/terminals/health', health, identity);
    assert.equal(admitted.status, 200, admitted.body);

    await page.goto(deskUrl + '/terminals');
    const line = page.locator('#terminals tbody tr[data-id="KIOSK-0009"]');
    assert.match(await line.innerText(), /使用中/);
    assert.equal(await page.locator('#code').count(), 0); // the code is shown once
    // 取り消す asks first; the answer revokes.
    await Promise.all([page.waitForNavigation(), line.locator('button.danger').click()]);
    assert.match(await page.locator('#confirm').innerText(), /KIOSK-0009 を取り消しますか？/);
    assert.match(await line.innerText(), /使用中/);
    await shot(page, 'terminals-confirm');
    await Promise.all([page.waitForNavigation(), page.locator('#confirm-revoke').click()]);
    assert.match(await line.innerText(), /取り消し済み/);
    await shot(page, 'terminals-revoked');
    const refused = await post('/api/v1/terminals/health', health, identity);
    assert.equal(refused.status, 403);
    assert.equal(JSON.parse(refused.body).error.code, 'terminal_revoked');

    // A receptionist who types the address is refused.
    assert.equal((await pageA.request.get(deskUrl + '/terminals')).status(), 403);
});

test('no page met a script error, a dialog or a refused resource', async () => {
    if (process.env.SCREENSHOT_DIR) {
        // Firefox's screenshot adds a style element of its own, which the page's CSP refuses.
        for (const page of [pageA, pageB]) {
            page.problems = page.problems.filter((line) => !line.includes('style-src-elem'));
        }
    }
    assert.deepEqual(pageA.problems, []);
    assert.deepEqual(pageB.problems, []);
});

test('log-out ends that page\'s session only', async () => {
    await pageB.locator('form.logout button').click();
    await pageB.waitForURL((url) => url.pathname === '/login');
    await pageB.goto(deskUrl + '/');
    assert.equal(new URL(pageB.url()).pathname, '/login');
    // The other receptionist's page is still logged in and live.
    const sent = await checkIn({receipt: '0109'});
    assert.equal(sent.status, 201, sent.body);
    await row(pageA, '0109').waitFor({timeout: kLive});
    assert.deepEqual(pageB.problems, []);
});
