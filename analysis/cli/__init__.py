"""The command line: ``python -m analysis COMMAND`` (see README). Exit 0 ok, 2 refused, 1 internal error.

The parser and the dispatch live here; each command is in a module of its own. Pages never import this package.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
from pathlib import Path

from analysis import db
from analysis.accounts.scope import AccountError
from analysis.brief.fonts import FontMissing
from analysis.cli import common
from analysis.ingest.privacy import IdKeyError
from analysis.ingest.problems import RefusedFile
from analysis.store import Store, StoreError

# argparse's own messages, in Chinese (the rest of the message is the option and the value as typed)
ARGPARSE_MESSAGES = (
    (r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.*)\)", r"选项 \1 的值「\2」无效，可选：\3"),
    (r"argument (\S+): invalid (int|float) value: '?([^']*)'?", r"选项 \1 的值「\3」不是数字"),
    (r"argument (\S+): expected one argument", r"选项 \1 后面缺少取值"),
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (\S+): invalid (\S+) value: '?([^']*)'?", r"选项 \1 的值「\3」无效"),
)


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on its own errors, as the contract wants
        for pattern, chinese in ARGPARSE_MESSAGES:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, chinese, message)
                break
        print(f"参数错误：{message}（用 --help 查看用法）", file=sys.stderr)
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", default=argparse.SUPPRESS, help="数据目录（默认 $HOUSING_DATA_DIR，否则 data/store）"
    )
    p = ChineseArgumentParser(
        prog="python -m analysis", description="棚改货币化安置与商品住房去库存：命令行", parents=[common]
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=ChineseArgumentParser)

    d = sub.add_parser("demo", parents=[common], help="写入内置演示数据（山西、辽宁，2015–2017，合成数据）")
    d.add_argument("--force", action="store_true", help="数据目录已有数据时也覆盖（旧版本仍可回退）")
    d.add_argument("--if-empty", action="store_true", help="数据目录已有数据时什么也不做（make run 用）")

    m = sub.add_parser("metrics", parents=[common], help="各地区指标表")
    m.add_argument("--level", choices=["province", "city", "county"], default="city")
    m.add_argument("--region", help="地区代码或名称：只列该地区及其下属地区")
    m.add_argument("--period", help="统计月份 YYYY-MM（默认数据中最新月份）")
    m.add_argument("--window", type=int, choices=[6, 12], default=12, help="月均销售的滚动窗口（月）")
    m.add_argument("--years", help="计划年度，逗号分隔（默认统计月份所在年度）")
    m.add_argument("--format", choices=["table", "csv", "json"], default="table")
    m.add_argument("--all-columns", action="store_true", help="同时输出合同以外的辅助列")
    m.add_argument(
        "--engine", choices=["duckdb", "spark"], default="duckdb", help="计算引擎：duckdb（默认）或 spark（需 Java）"
    )
    m.add_argument("--spark-master", default="local[2]", help="Spark 集群地址（默认本机 local[2]）")

    i = sub.add_parser("import", parents=[common], help="导入县区报表（.xlsx / .xls / .csv）")
    i.add_argument("file")
    i.add_argument("--kind", choices=["inventory", "households", "plans"])
    i.add_argument("--region", help="文件所属的市或省（代码或名称），用于区分同名区县")
    i.add_argument("--period", help="文件未写明时的统计月份 YYYY-MM")
    i.add_argument("--dry-run", action="store_true", help="只检查、不写入")
    i.add_argument(
        "--mapping",
        metavar="FILE",
        help="映射文件（YAML 或 JSON）：表头、取值、地名各对应什么（见 README「映射」）；未识别的列须在此指定或忽略",
    )
    i.add_argument(
        "--save-mapping",
        action="store_true",
        help="导入成功后把 --mapping 的内容保存为该地区、该类型的映射，下次同一地区的文件自动使用",
    )
    i.add_argument("--no-saved-mapping", action="store_true", help="不使用已保存的映射")
    i.add_argument("--format", choices=["text", "csv", "json"], default="text")
    i.add_argument(
        "--rekey",
        action="store_true",
        help="户编号密钥已更换时仍导入花名册，并记录新密钥；此前按旧密钥生成的户编号不会与之后导入的同一户对上（见 README）",
    )

    mp = sub.add_parser("mappings", parents=[common], help="已保存的映射：list 列出，show 显示某地区某类型的映射")
    mp.add_argument("action", choices=["list", "show"])
    mp.add_argument("--region", help="show：地区（代码或名称）")
    mp.add_argument("--kind", choices=["inventory", "households", "plans"], help="show：数据类型")

    sub.add_parser("history", parents=[common], help="已提交版本的列表")
    r = sub.add_parser("rollback", parents=[common], help="回退到某个版本（先显示将替换的当前版本并要求确认）")
    r.add_argument("version", type=int)
    r.add_argument(
        "--from",
        dest="from_version",
        type=int,
        metavar="CURRENT_VERSION",
        help="您看到的当前版本：若其间又有新的提交，则不回退（默认：确认时显示的当前版本）",
    )
    r.add_argument("--yes", action="store_true", help="不询问、直接回退（回退到版本 0 必须加）")

    _users_parser(sub, common)

    s = sub.add_parser("scenario", parents=[common], help="情景模拟：调整货币化安置比例看效果")
    s.add_argument("--share", type=float, help="全省统一的货币化安置比例 0–1")
    s.add_argument("--set", action="append", default=[], metavar="CODE=S", help="某市或某县的比例，可重复")
    s.add_argument("--preset", help="预设：plan_targets | policy_table | rule_2018 | uniform")
    s.add_argument("--purchase-share", type=float, help="货币化安置户中购买商品住房的比例（默认 0.7）")
    s.add_argument("--purchase-area", type=float, help="户均购房面积 ㎡（默认 90）")
    s.add_argument("--in-kind-area", type=float, help="实物安置户均面积 ㎡（默认 75）")
    s.add_argument("--cost", type=float, help="安置房建设成本 元/㎡（默认 3000）")
    s.add_argument("--level", choices=["province", "city", "county"], default="city")
    s.add_argument("--region")
    s.add_argument("--period")
    s.add_argument("--years")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")

    from analysis.cli import brief

    brief.add_parser(sub, [common])
    return p


def _users_parser(sub, common) -> None:
    u = sub.add_parser("users", parents=[common], help="网页的账户：添加、列出、改密码、停用（见 README「账户」）")
    us = u.add_subparsers(dest="users_command", required=True, parser_class=ChineseArgumentParser)
    pw = argparse.ArgumentParser(add_help=False)
    pw.add_argument(
        "--password-stdin",
        action="store_true",
        help="从标准输入的第一行读取密码（否则在终端输入两次；无终端时随机生成）",
    )
    a = us.add_parser("add", parents=[common, pw], help="添加账户")
    a.add_argument("name", help="用户名（1–32 个字符，可用中文）")
    a.add_argument("--role", required=True, help="admin（管理员）| submitter（报送员）| viewer（查看者）")
    a.add_argument("--scope", required=True, help="范围：全国，或省、市、县（市、区）的代码或名称")
    a.add_argument("--email", help="邮箱（用统一身份认证 st.login 登录时据此对应账户）")
    us.add_parser("list", parents=[common], help="列出全部账户")
    p = us.add_parser("passwd", parents=[common, pw], help="修改密码（同时解除锁定）")
    p.add_argument("name")
    d = us.add_parser("disable", parents=[common], help="停用账户（已登录的页面随即退出）")
    d.add_argument("name")
    e = us.add_parser("enable", parents=[common], help="重新启用停用的账户")
    e.add_argument("name")
    i = us.add_parser("init", parents=[common], help="没有任何账户时创建管理员并显示一次随机密码（make run 调用）")
    i.add_argument("--name", default="admin", help="管理员用户名（默认 admin）")
    au = us.add_parser("audit", parents=[common], help="最近的审计记录（登录、提交、回退、账户变更）")
    au.add_argument("--limit", type=int, default=100, help="显示多少条（默认 100）")


def run(args, data_dir: Path) -> str:
    """The text a command prints (its handler is imported only when it runs)."""
    from analysis.cli import brief, data, metrics, scenario, users

    handler = {
        "demo": data.cmd_demo,
        "metrics": metrics.cmd_metrics,
        "import": data.cmd_import,
        "history": data.cmd_history,
        "mappings": data.cmd_mappings,
        "rollback": data.cmd_rollback,
        "scenario": scenario.run,
        "brief": brief.cmd_brief,
        "users": users.run,
    }[args.command]
    return handler(args, Store(data_dir))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = Path(getattr(args, "data_dir", None) or os.environ.get("HOUSING_DATA_DIR") or db.default_data_dir())
    try:
        out = run(args, data_dir)
        if out:
            sys.stdout.write(out if out.endswith("\n") else out + "\n")
        return 0
    except common.Refusal as exc:
        if exc.stdout:
            sys.stdout.write(exc.stdout)
        print(str(exc), file=sys.stderr)
        return 2
    except (RefusedFile, StoreError, IdKeyError, AccountError) as exc:
        print(f"已拒绝：{exc}", file=sys.stderr)
        for problem in exc.problems if isinstance(exc, RefusedFile) else []:
            if problem.reason != str(exc):  # the notes behind the refusal (e.g. a sheet of another kind)
                print(problem.text(), file=sys.stderr)
        return 2
    except FontMissing as exc:  # the set-up, not the input: say how to fix it
        print(f"未生成：{exc}", file=sys.stderr)
        return 1
    except Exception:  # never a traceback for the user; keep it for whoever debugs
        if os.environ.get("HOUSING_DEBUG"):
            traceback.print_exc()
        print("内部错误：命令未完成，数据未改变。设置 HOUSING_DEBUG=1 可查看详细信息。", file=sys.stderr)
        return 1
