#!/usr/bin/env python3
"""Check labels.jsonl of the invented set "c" against the report files.

Checks, per report:
  * schema: required fields, measure codes and breakdown kinds from the spec csvs
    (if /work/shared/spec is present), no duplicate keys;
  * grid: for gb templates every cell of 表二/表三/表四 is either labelled or declared
    in blank_cells / not_applicable_cells (and never both);
  * identities from the labels (T3-COL, T3-ID, T3-SUM, T4-SUM); an identity with a
    missing operand (blank / not applicable) is "not assessable" and skipped; the
    identities that fail must be exactly the declared identity_failures;
  * presence: every labelled value is printed in the file. Table rows are matched as
    contiguous runs of number tokens in print order; prose figures anywhere with digit
    boundaries. For flattened files (digit runs) the tables are re-split from the text
    with the identities: the solutions must be the labels plus exactly the declared
    ambiguous alternatives.
Run: python3 check_labels.py   (exit status 1 on any problem)
"""
import csv
import itertools
import json
import os
import re
import sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = '/work/shared/spec'

COLS = ['natural_person', 'commercial', 'research', 'nonprofit', 'legal_service', 'other_org']
BDS = ['applicant:' + c for c in COLS] + [None]          # 7 printed columns, None = 总计
DENIED = ['state_secret', 'law_forbidden', 'security_stability', 'third_party', 'internal_affairs',
          'process_info', 'enforcement_file', 'admin_query']
UNABLE = ['not_held', 'needs_creation', 'unclear']
NP = ['petition', 'repeat', 'publication', 'mass_repeat', 'confirm']
OTHER21 = ['no_correction', 'fee_unpaid', 'other']
RESULTS = {
    'gb2021': ['req.granted', 'req.partial'] + ['req.denied.' + x for x in DENIED] + ['req.unable.' + x for x in UNABLE]
              + ['req.not_processed.' + x for x in NP] + ['req.other.' + x for x in OTHER21],
    'gb2019': ['req.granted', 'req.partial'] + ['req.denied.' + x for x in DENIED] + ['req.unable.' + x for x in UNABLE]
              + ['req.not_processed.' + x for x in NP] + ['req.other'],
}
T3ROWS = {t: ['req.new_received', 'req.carried_over'] + r + ['req.total_processed', 'req.carried_forward']
          for t, r in RESULTS.items()}
# labels used to locate rows in flattened text (in print order)
T3LABEL = {'req.new_received': '一、本年新收政府信息公开申请数量', 'req.carried_over': '二、上年结转政府信息公开申请数量',
           'req.granted': '（一）予以公开', 'req.partial': '不计其他情形）',
           'req.total_processed': '（七）总计', 'req.carried_forward': '四、结转下年度继续办理'}
for i, x in enumerate(['属于国家秘密', '其他法律行政法规禁止公开', '危及“三安全一稳定”', '保护第三方合法权益', '属于三类内部事务信息',
                       '属于四类过程性信息', '属于行政执法案卷', '属于行政查询事项']):
    T3LABEL['req.denied.' + DENIED[i]] = f'{i+1}.{x}'
for i, x in enumerate(['本机关不掌握相关政府信息', '没有现成信息需要另行制作', '补正后申请内容仍不明确']):
    T3LABEL['req.unable.' + UNABLE[i]] = f'{i+1}.{x}'
for i, x in enumerate(['信访举报投诉类申请', '重复申请', '要求提供公开出版物', '无正当理由大量反复申请', '要求行政机关确认或重新出具已获取信息']):
    T3LABEL['req.not_processed.' + NP[i]] = f'{i+1}.{x}'
for i, x in enumerate(['申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
                       '申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '其他']):
    T3LABEL['req.other.' + OTHER21[i]] = f'{i+1}.{x}'
T3LABEL['req.other'] = '（六）其他处理'
T4G = ['review', 'lit_direct', 'lit_after_review']
T4BD = ['outcome:maintained', 'outcome:corrected', 'outcome:other', 'outcome:pending', None]
T2ROWS = {
    'gb2021': [['rule.issued', 'rule.repealed', 'rule.in_force'], ['normdoc.issued', 'normdoc.repealed', 'normdoc.in_force'],
               ['licensing.decisions'], ['punishment.decisions'], ['coercion.decisions'], ['admin_fee.amount']],
    'gb2019': [['rule.made', 'rule.published', 'rule.public_total'], ['normdoc.made', 'normdoc.published', 'normdoc.public_total'],
               ['licensing.items_prev', 'licensing.items_change', 'licensing.decisions'],
               ['other_service.items_prev', 'other_service.items_change', 'other_service.decisions'],
               ['punishment.items_prev', 'punishment.items_change', 'punishment.decisions'],
               ['coercion.items_prev', 'coercion.items_change', 'coercion.decisions'],
               ['admin_fee.items_prev', 'admin_fee.items_change'], ['procurement.projects', 'procurement.amount']],
}
T2LABEL = {'rule': '规章', 'normdoc': '规范性文件', 'licensing': '行政许可', 'other_service': '其他对外管理服务事项',
           'punishment': '行政处罚', 'coercion': '行政强制', 'admin_fee': '行政事业性收费', 'procurement': '政府集中采购'}
YUAN = {'admin_fee.amount', 'procurement.amount', 'fee.collected', 'fee.waived'}
ZERO_WORDS = re.compile(r'未收取|无收取|未发生|未收到|没有|未出现|均为0|为零')

problems = []


def bad(rec, msg):
    problems.append(f"{rec['file']}: {msg}")


def read_text(rec):
    raw = open(os.path.join(HERE, rec['file']), 'rb').read()
    enc = rec.get('encoding') or 'utf-8'
    text = raw.decode(enc)
    if rec['file'].endswith('.html'):
        m = re.search(r'charset="?([\w-]+)', text[:500])
        if not m or m.group(1).lower() not in ('gb2312', 'gbk', 'gb18030'):
            bad(rec, 'html does not declare a GB charset')
        text = re.sub(r'<[^>]+>', ' ', text).replace('&nbsp;', ' ')
    return text


def number_tokens(text):
    """numbers in print order, as Decimal; '+1' -> 1, '-2' -> -2, '86.5万元' -> 865000"""
    out = []
    for m in re.finditer(r'(?<![\d.])([+-]?)(\d+(?:\.\d+)?)(万元|元)?', text):
        v = Decimal(m.group(2)) * (-1 if m.group(1) == '-' else 1)
        if m.group(3) == '万元':
            v *= 10000
        out.append(v)
    return out


def printed_variants(measure, value):
    v = Decimal(str(value))
    out = {v}
    if measure in YUAN:
        out.add(v / 10000)
    return out


def find_runs(tokens, rows, start=0):
    """match each row (list of sets of acceptable values, None = not printed) as a contiguous run,
    in order; return index after the last match or None"""
    pos = start
    for row in rows:
        want = [w for w in row if w is not None]
        if not want:
            continue
        for i in range(pos, len(tokens) - len(want) + 1):
            if all(tokens[i + k] in want[k] for k in range(len(want))):
                pos = i + len(want)
                break
        else:
            return None, row
    return pos, None


# ------------------------------------------------------------------ identities
def identity_check(rec, cell):
    """cell: dict (measure, breakdown) -> value. Returns (failures, skipped)"""
    tpl = rec['template']
    fails, skipped = [], []

    def get(m, bd):
        return cell.get((m, bd))

    if tpl in RESULTS:
        res = RESULTS[tpl]
        for m in T3ROWS[tpl]:                                            # T3-COL
            vals = [get(m, bd) for bd in BDS]
            if any(v is None for v in vals):
                skipped.append(f'T3-COL row {m}')
            elif sum(vals[:6]) != vals[6]:
                fails.append(f'T3-COL row {m}: total {vals[6]} != sum {sum(vals[:6])}')
        for bd in BDS:
            key = bd or 'total'
            a, b, c, d = (get(m, bd) for m in ('req.new_received', 'req.carried_over', 'req.total_processed', 'req.carried_forward'))
            if None in (a, b, c, d):                                    # T3-ID
                skipped.append(f'T3-ID column {key}')
            elif a + b != c + d:
                fails.append(f'T3-ID column {key}: new_received+carried_over {a + b} != total_processed+carried_forward {c + d}')
            parts = [get(m, bd) for m in res]                           # T3-SUM
            if c is None or any(p is None for p in parts):
                skipped.append(f'T3-SUM column {key}')
            elif sum(parts) != c:
                fails.append(f'T3-SUM column {key}: total_processed {c} != sum {sum(parts)}')
        for g in T4G:                                                    # T4-SUM
            vals = [get(g, bd) for bd in T4BD]
            if any(v is None for v in vals):
                skipped.append(f'T4-SUM {g}')
            elif sum(vals[:4]) != vals[4]:
                fails.append(f'T4-SUM {g}: total {vals[4]} != sum {sum(vals[:4])}')
    # prose cross-checks that always apply when both sides are labelled
    lt = get('lit_total', None)
    d, a = get('lit_direct', None), get('lit_after_review', None)
    if lt is not None and d is not None and a is not None and lt != d + a:
        fails.append(f'TXT lit_total {lt} != lit_direct+lit_after_review {d + a}')
    return fails, skipped


# ------------------------------------------------------------------ flattened files
def row_splits(s, n, rowsum):
    out = []

    def rec(i, acc):
        if len(acc) == n:
            if i == len(s):
                out.append(tuple(acc))
            return
        for j in range(i + 1, min(len(s), i + 6) + 1):
            t = s[i:j]
            if len(t) > 1 and t[0] == '0':
                break
            rec(j, acc + [int(t)])
    rec(0, [])
    if rowsum:
        out = [t for t in out if sum(t[:-1]) == t[-1]]
    return out


def check_flattened(rec, text, cell):
    tpl = rec['template']
    rows = T3ROWS[tpl]
    body = text[text.index('三、收到和处理政府信息公开申请情况'):]
    # locate every row label, cut the digit run between it and the next label
    pos, starts = 0, []
    for m in rows:
        lab = T3LABEL[m]
        i = body.index(lab, pos)
        starts.append((i, i + len(lab)))
        pos = i + len(lab)
    t4start = body.index('四、政府信息公开行政复议')
    runs = {}
    for k, m in enumerate(rows):
        seg_end = starts[k + 1][0] if k + 1 < len(rows) else t4start
        seg = body[starts[k][1]:seg_end]
        # the run is the leading digits; group titles (三、… （四）…) may follow it
        mm = re.match(r'\s*(\d+)', seg)
        if not mm:
            bad(rec, f'flattened: cannot cut digit run for {m}: {seg!r}')
            return
        runs[m] = mm.group(1)
    options = {m: row_splits(runs[m], 7, True) for m in rows}
    for m in rows:
        if not options[m]:
            bad(rec, f'flattened: no split of {runs[m]} for {m}')
            return
    res = RESULTS[tpl]
    multi = [m for m in rows if len(options[m]) > 1]
    sols = []
    for combo in itertools.product(*[options[m] for m in multi]):
        tab = {m: options[m][0] for m in rows}
        tab.update(dict(zip(multi, combo, strict=True)))
        ok = all(tab['req.new_received'][c] + tab['req.carried_over'][c] == tab['req.total_processed'][c] + tab['req.carried_forward'][c]
                 and sum(tab[m][c] for m in res) == tab['req.total_processed'][c] for c in range(7))
        if ok:
            sols.append(tab)
    labelled = {m: tuple(cell.get((m, bd)) for bd in BDS) for m in rows}
    if labelled not in sols:
        bad(rec, 'flattened 表三: labelled table is not a valid split of the text')
    alts = [s for s in sols if s != labelled]
    amb = {(a['measure'], a['breakdown']): a['candidates'] for a in rec.get('ambiguous_cells', [])}
    seen = {}
    for s in alts:
        for m in rows:
            for c, bd in enumerate(BDS):
                if s[m][c] != labelled[m][c]:
                    seen.setdefault((m, bd), {labelled[m][c]}).add(s[m][c])
    for key, vals in seen.items():
        if key not in amb or set(amb[key]) != vals:
            bad(rec, f'flattened 表三: undeclared ambiguity {key} {sorted(vals)}')
    for key, cands in amb.items():
        if key not in seen:
            bad(rec, f'flattened 表三: declared ambiguity {key} not reproduced')
        if cell.get(key) != cands[0]:
            bad(rec, f'flattened 表三: ambiguous {key} label {cell.get(key)} is not the first candidate')
    print(f"  {rec['file']}: 表三 rows with several row-level splits: {len(multi)}; "
          f"splits satisfying every identity: {len(sols)}")
    # 表四: 15 cells, group sums
    t4run = re.search(r'尚未审结总计(\d+)五、', body).group(1)
    t4s = []
    for t in row_splits(t4run, 15, False):
        if all(sum(t[g * 5:g * 5 + 4]) == t[g * 5 + 4] for g in range(3)):
            t4s.append(t)
    want = tuple(cell.get((g, bd)) for g in T4G for bd in T4BD)
    if t4s != [want]:
        bad(rec, f'flattened 表四: splits {t4s} != labelled {want}')
    # 表二: three-cell rows must split uniquely; single cells are bounded by labels
    for row in T2ROWS[tpl][:2]:
        lab = '行政规范性文件' if row[0].startswith('normdoc') else '规章'
        run = re.search(re.escape(lab) + r'(\d+)', text[text.index('二、主动公开政府信息情况'):]).group(1)
        sp = row_splits(run, 3, False)
        want = tuple(cell.get((m, None)) for m in row)
        if sp != [want]:
            bad(rec, f'flattened 表二 {lab}: splits {sp} != labelled {want}')


# ------------------------------------------------------------------ main
def main():
    measures, kinds = {}, set()
    if os.path.exists(os.path.join(SPEC, 'measures.csv')):
        with open(os.path.join(SPEC, 'measures.csv'), encoding='utf-8') as fh:
            for r in csv.DictReader(fh):
                measures[r['code']] = r
        with open(os.path.join(SPEC, 'breakdowns.csv'), encoding='utf-8') as fh:
            for r in csv.DictReader(fh):
                kinds.add(r['kind'] + ':' + r['code'])
    recs = [json.loads(line) for line in open(os.path.join(HERE, 'labels.jsonl'), encoding='utf-8') if line.strip()]
    for rec in recs:
        for k in ('file', 'agency', 'admin_level', 'province', 'report_year', 'template', 'complete', 'facts',
                  'blank_cells', 'not_applicable_cells', 'ambiguous_cells', 'identity_failures'):
            if k not in rec:
                bad(rec, f'missing field {k}')
        text = read_text(rec)
        tpl = rec['template']
        cell = {}
        for f in rec['facts']:
            key = (f['measure'], f['breakdown'])
            if key in cell:
                bad(rec, f'duplicate key {key}')
            cell[key] = f['value']
            if measures:
                if f['measure'] not in measures:
                    bad(rec, f"unknown measure {f['measure']}")
                elif f['breakdown'] is not None:
                    kind = f['breakdown'].split(':')[0]
                    allowed = measures[f['measure']]['breakdowns'].split('|')
                    if kind not in allowed:
                        bad(rec, f"breakdown kind {kind} not allowed for {f['measure']}")
                    if kind != 'category' and f['breakdown'] not in kinds:
                        bad(rec, f"unknown breakdown {f['breakdown']}")
        if str(rec['report_year']) not in text:
            bad(rec, 'report year not in text')
        if rec.get('province') and rec['province'] not in text:
            bad(rec, 'province not named in text')
        if rec['agency'] and rec['agency'] not in text:
            bad(rec, 'agency name not in text')
        blank = {tuple(x) for x in rec['blank_cells']}
        na = {tuple(x) for x in rec['not_applicable_cells']}
        if blank & na:
            bad(rec, 'cells both blank and not applicable')
        # ---- grid completeness
        if tpl in RESULTS:
            grid = [(m, bd) for m in T3ROWS[tpl] for bd in BDS] + [(g, bd) for g in T4G for bd in T4BD] \
                   + [(m, None) for row in T2ROWS[tpl] for m in row]
            for key in grid:
                n = (key in cell) + (key in blank) + (key in na)
                if n != 1:
                    bad(rec, f'grid cell {key}: labelled/blank/na count {n}')
            for key in blank | na:
                if key not in grid:
                    bad(rec, f'declared blank/na cell {key} is not a table cell')
            comp = set(rec['complete'])
            want = {m for m, _ in grid}
            if comp != want:
                bad(rec, f'complete differs from table measures: extra {sorted(comp - want)} missing {sorted(want - comp)}')
        # ---- identities
        fails, skipped = identity_check(rec, cell)
        if sorted(fails) != sorted(rec['identity_failures']):
            bad(rec, f"identity failures {fails} != declared {rec['identity_failures']}")
        # ---- presence
        tokens = number_tokens(text)
        table_keys = set()
        if tpl in RESULTS and rec.get('flattened'):
            check_flattened(rec, text, cell)
            digits = re.sub(r'\D', '', text)
            for f in rec['facts']:
                if not any(str(v).rstrip('0').rstrip('.') in digits if '.' in str(v) else str(v) in digits
                           for v in printed_variants(f['measure'], f['value'])):
                    bad(rec, f'value {f} not in digit stream')
            table_keys = set(cell)
        elif tpl in RESULTS:
            def row(keys, cell=cell):
                return [printed_variants(k[0], cell[k]) if k in cell else None for k in keys]
            t2rows = [row([(m, None) for m in r]) for r in T2ROWS[tpl]]
            t3rows = [row([(m, bd) for bd in BDS]) for m in T3ROWS[tpl]]
            t4rows = [row([(g, bd) for g in T4G for bd in T4BD])]
            start = 0
            for name, rows in (('表二', t2rows), ('表三', t3rows), ('表四', t4rows)):
                end, miss = find_runs(tokens, rows, start)
                if end is None:
                    bad(rec, f'{name}: row {miss} not found as a contiguous run in print order')
                else:
                    start = end
            table_keys = {k for k in cell if k[0] in {m for m, _ in grid}}
        for f in rec['facts']:
            key = (f['measure'], f['breakdown'])
            if key in table_keys and not (rec.get('flattened') and f['measure'] in ('proactive.total', 'lit_total', 'fee.collected')):
                continue
            pv = printed_variants(*key[:1], f['value'])
            if f['value'] == 0 and ZERO_WORDS.search(text):
                continue
            if not any(v in tokens for v in pv):
                bad(rec, f'prose value {f} not printed')
            if f.get('approx'):
                if not re.search(r'(?<!\d)' + str(f['value']) + r'(余|多)', text):
                    bad(rec, f'approx value {f} not printed with 余/多')
        print(f"{rec['file']}: {len(rec['facts'])} facts, identities failing {len(fails)} "
              f"(declared {len(rec['identity_failures'])}), not assessable {len(skipped)}")
    if problems:
        print('\nPROBLEMS:')
        for p in problems:
            print(' -', p)
        sys.exit(1)
    print('\nall checks passed')


if __name__ == '__main__':
    main()
