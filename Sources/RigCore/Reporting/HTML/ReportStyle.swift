// SPDX-License-Identifier: Apache-2.0

/// The style sheet of the HTML reports, inline so the page is one file.
///
/// Verdicts and chart series differ by symbol, word, shape and dash pattern as well as colour, so
/// the page reads in black and white and for colour-blind readers; the layout narrows to a phone's
/// width; the print rules fit A4 and start each test on a new page.
enum ReportStyle {
  static let css = """
    :root{--fg:#1b1f24;--muted:#59636e;--line:#d0d7de;--bg:#fff;--pass:#1a7f37;--fail:#cf222e;\
    --err:#8250df;--skip:#9a6700;--s0:#0969da;--s1:#57606a;--s2:#bc4c00;--s3:#8250df}
    *{box-sizing:border-box}
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);\
    background:var(--bg);margin:0 auto;padding:1rem;max-width:1100px;overflow-wrap:anywhere}
    h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.2rem;margin:0 0 .4rem}h3{font-size:1rem;margin:1rem 0 .3rem}
    a{color:var(--s0)}
    code,pre,.num{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:12.5px}
    pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;border:1px solid var(--line);\
    padding:.5rem;max-height:24rem;overflow:auto;margin:.3rem 0}
    .banner{border:2px solid;border-radius:6px;padding:.5rem .8rem;margin:.6rem 0;font-weight:600}
    .banner.passed{border-color:var(--pass)}.banner.failed{border-color:var(--fail)}
    .banner.errored{border-color:var(--err)}.banner.skipped{border-color:var(--skip)}
    .v{font-weight:700;white-space:nowrap}.v.passed{color:var(--pass)}.v.failed{color:var(--fail)}
    .v.errored{color:var(--err)}.v.skipped,.v.flaky{color:var(--skip)}
    #problems{border-left:4px solid var(--fail);padding:.2rem .8rem;margin:.6rem 0;background:#fff8f8}
    #problems li{margin:.25rem 0}
    .tablewrap{overflow-x:auto}
    table{border-collapse:collapse;margin:.3rem 0;min-width:50%;overflow-wrap:normal}
    th,td{border-bottom:1px solid var(--line);padding:.2rem .5rem;text-align:left;vertical-align:top}
    td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    th,td.num{white-space:nowrap}
    th[data-sort]{cursor:pointer}
    dl.identity{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.3rem 0}
    dl.identity dt{color:var(--muted)}dl.identity dd{margin:0}
    section.test{border-top:2px solid var(--line);padding-top:.8rem;margin-top:1.2rem}
    .muted{color:var(--muted)}
    .links a{margin-right:1rem}
    svg.chart{width:100%;height:auto;max-width:900px;display:block;margin:.2rem 0 .6rem}
    .pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:0 1rem}
    .pair svg.chart{max-width:640px}
    svg.margin{width:160px;height:18px;vertical-align:middle}
    svg.spark{width:120px;height:22px;vertical-align:middle}
    svg text{font:10px system-ui,"DejaVu Sans",sans-serif;fill:var(--fg)}
    svg .tl{fill:var(--muted)}svg .at{fill:var(--muted);font-style:italic}svg .cl{font-weight:600}
    svg .grid{stroke:#eaeef2;fill:none}svg .axis{stroke:var(--muted);fill:none}
    svg .s0{stroke:var(--s0);stroke-width:1.6}svg .s1{stroke:var(--s1);stroke-width:1.3}
    svg .s2{stroke:var(--s2);stroke-width:1.3}svg .s3{stroke:var(--s3);stroke-width:1.3}
    svg .guide{stroke:var(--fail);fill:none}svg .gl{fill:var(--fail)}
    svg .callout{stroke:var(--fg);fill:none}svg .pm{stroke:var(--fg);fill:none;stroke-width:1.2}
    svg .mks{stroke:var(--fail);stroke-width:1.3}svg .mkbar{stroke:var(--fail);stroke-width:2;opacity:.5}
    svg .bar{fill:#9ec5fe;stroke:var(--s0);stroke-width:.5}
    svg .track{stroke:var(--line);stroke-width:8}svg .val{fill:var(--s1)}
    svg .lim{stroke:var(--fg);stroke-width:2}svg .hatch{stroke:var(--fail);stroke-width:1;opacity:.6}
    svg .spark{stroke:var(--s0);stroke-width:1.3}svg .now{fill:none;stroke:var(--fg);stroke-width:1.3}
    .ok::before{content:"\\2713  "}.bad::before{content:"\\2717  "}
    .bad{color:var(--fail);font-weight:600}
    .controls{float:right}.controls button{font:inherit;margin-left:.3rem}
    @media (max-width:600px){body{padding:.5rem;font-size:13px}dl.identity{grid-template-columns:1fr}\
    dl.identity dt{margin-top:.3rem}}
    @media print{@page{size:A4;margin:12mm}body{max-width:none;padding:0;font-size:10pt}\
    .controls{display:none}section.test{break-before:page;border-top:none}\
    svg.chart,table,figure{break-inside:avoid}pre{max-height:none;overflow:visible}\
    a{color:inherit;text-decoration:none}#problems{background:none}}
    """
}
