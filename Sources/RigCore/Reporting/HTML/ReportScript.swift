// SPDX-License-Identifier: Apache-2.0

/// The one script of the HTML reports: conveniences only (sort a table by a column, open or close
/// every collapsible block). Everything is readable without it.
///
/// It contains no `<` or `&`, so the page stays well-formed XML too, which the tests rely on to
/// parse it.
enum ReportScript {
  static let javascript = """
    (function(){
    "use strict";
    var d=document;
    function key(row,i){var c=row.cells[i];return c?(c.getAttribute("data-v")||c.textContent):"";}
    d.querySelectorAll("th[data-sort]").forEach(function(th){
    th.setAttribute("title","sort by this column");
    th.addEventListener("click",function(){
    var table=th.closest("table"),body=table.tBodies[0],i=th.cellIndex;
    var up=th.getAttribute("aria-sort")!=="ascending";
    table.querySelectorAll("th").forEach(function(h){h.removeAttribute("aria-sort");});
    th.setAttribute("aria-sort",up?"ascending":"descending");
    var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){
    var x=key(a,i),y=key(b,i),nx=parseFloat(x),ny=parseFloat(y);
    var c=(isNaN(nx)||isNaN(ny))?x.localeCompare(y):nx-ny;
    return up?c:-c;});
    rows.forEach(function(r){body.appendChild(r);});});});
    var all=d.querySelectorAll("details");
    var bar=d.querySelector(".controls");
    if(bar){
    var open=d.createElement("button");open.type="button";open.textContent="open all details";
    var close=d.createElement("button");close.type="button";close.textContent="close all details";
    open.addEventListener("click",function(){all.forEach(function(e){e.open=true;});});
    close.addEventListener("click",function(){all.forEach(function(e){e.open=false;});});
    bar.appendChild(open);bar.appendChild(close);}
    })();
    """
}
