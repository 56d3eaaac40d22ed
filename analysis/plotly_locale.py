"""plotly.js in Chinese: the mode bar's tooltips and notices (plotly ships only English in the bundle
Streamlit serves). Passed to every figure through its ``config``; no file is fetched."""

from __future__ import annotations

DICTIONARY = {
    "Zoom": "缩放",
    "Zoom in": "放大",
    "Zoom out": "缩小",
    "Pan": "平移",
    "Box Select": "框选",
    "Lasso Select": "套索选择",
    "Reset view": "复位",
    "Reset axes": "复位坐标轴",
    "Autoscale": "自动缩放",
    "Download plot as a png": "下载图片（PNG）",
    "Download plot as a PNG": "下载图片（PNG）",
    "Fullscreen": "全屏",
    "Exit fullscreen": "退出全屏",
    "Download plot": "下载图片",
    "Toggle Spike Lines": "显示/隐藏参考线",
    "Show closest data on hover": "悬停显示最近的数据",
    "Compare data on hover": "悬停比较数据",
    "Toggle show closest data on hover": "切换悬停显示",
    "Double-click to zoom back out": "双击复原",
    "Snapshot succeeded": "图片已生成",
    "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候",
    "Error:": "错误：",
    "Click to enter Plot title": "点击输入图表标题",
    "Click to enter X axis title": "点击输入横轴标题",
    "Click to enter Y axis title": "点击输入纵轴标题",
    "Click to enter Colorscale title": "点击输入色标标题",
    "Reset": "复位",
    "Orbital rotation": "旋转",
    "Turntable rotation": "旋转",
    "Zoom to": "缩放至",
}
FORMAT = {
    "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
    "shortDays": ["日", "一", "二", "三", "四", "五", "六"],
    "months": ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
    "shortMonths": ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
    "date": "%Y-%m-%d",
    "decimal": ".",
    "thousands": ",",
}
LOCALE = {"locale": "zh-CN", "locales": {"zh-CN": {"dictionary": DICTIONARY, "format": FORMAT}}}
