#!/usr/bin/env python3
"""Generate a synthetic tabiji site for benchmarks.

    python3 bench/gen_site.py --personas N OUT_DIR [--seed S]

The site follows /work/shared/CONTRACT.md (see also docs/format.md): 3 phases, 8 stages with
owners, 5 rows, 4 departments (clients/suppliers/KPIs), N personas, one journey per persona
with every cell filled, 3 playbooks per stage, a 40-term glossary and an onboarding path.
It is meant to pass `tabiji check` with 0 errors and 0 warnings.

Output is deterministic: the same seed gives byte-identical files. Each persona and its
journey draw from their own random generator (seeded by seed and index), so the site for N
personas is a prefix of the site for M > N personas: for N >= 10, only persona and journey
files are added between sizes.

OUT_DIR is created if missing; an existing `content/` folder in it is removed first so that
a smaller run does not leave personas of a bigger one behind.
"""

import argparse
import json
import multiprocessing
import os
import random
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor

# ---------------------------------------------------------------------------------------------
# Fixed structure: phases, stages, rows, departments

PHASES = [("lead", "リード"), ("prospect", "プロスペクト"), ("customer", "顧客")]

# id, name, summary, phase, owner
STAGES = [
    ("unaware", "未知", "Excel と紙の台帳で回っているつもりで、管理の穴に気づいていない", "lead", "marketing"),
    ("aware", "認知", "棚卸の手戻りやライセンス超過で「このままで大丈夫か」と感じ始める", "lead", "marketing"),
    ("interest", "興味関心", "放置できない課題だと腹落ちし、解決の必要性を社内で口にし始める", "lead", "marketing"),
    ("research", "情報収集", "解決の方法と、同じ悩みを解決した会社・製品を探している", "prospect", "inside-sales"),
    ("consideration", "検討", "複数の製品を比べ、要件を固め、社内の合意をつくっている", "prospect", "field-sales"),
    ("purchase", "購買", "稟議を通し、契約条件を詰めて署名する", "prospect", "field-sales"),
    ("usage", "利用", "データを移行して全社に展開し、日々の業務で使い始める", "customer", "customer-success"),
    ("loyal", "ロイヤルカスタマー", "成果を実感して更新・拡張し、他社にも勧めてくれる", "customer", "customer-success"),
]
STAGE_IDS = [s[0] for s in STAGES]
STAGE_NAME = {s[0]: s[1] for s in STAGES}
STAGE_OWNER = {s[0]: s[4] for s in STAGES}

ROWS = [
    ("problem", "課題", "この段階で顧客を困らせていること"),
    ("thinking", "思考", "顧客が頭の中で考え、感じていること"),
    ("action", "行動", "顧客が実際にとっている行動"),
    ("information", "情報", "顧客が読むもの、相談する相手、届くチャネル"),
    ("key_factor", "ネクストステップのキーファクター", "次の段階へ進むために成り立っていなければならないこと"),
]

# A ring: each department serves the next one and is served by the previous one, so every
# clients/suppliers pair is declared on both sides.
DEPARTMENTS = [
    ("marketing", "マーケティング",
     ["MQL 月120件", "MQL→SQL 転換率 25%", "ウェビナー参加率 55%", "リサイクルリードの再活性 月30件"]),
    ("inside-sales", "インサイドセールス",
     ["SQL 月30件", "MQL への初回架電 24時間以内 90%", "商談化後の初回訪問実施率 85%"]),
    ("field-sales", "フィールドセールス",
     ["受注 月6件", "SQL→受注率 20%", "平均受注単価 年額360万円", "受注時の引き継ぎシート記入率 100%"]),
    ("customer-success", "カスタマーサクセス",
     ["オンボーディング完了 契約後60日以内 90%", "年間更新率 95%", "アップセル案件 四半期8件", "導入事例の公開 四半期2件"]),
]
DEPT_IDS = [d[0] for d in DEPARTMENTS]
DEPT_NAME = {d[0]: d[1] for d in DEPARTMENTS}

# ---------------------------------------------------------------------------------------------
# Glossary: 40 terms (term, reading, definition). Terms are written in the phrase lists below
# as {term}; each such mention becomes a `glossary:` link with some probability.

GLOSSARY = [
    ("リード", "りーど", "名刺交換や資料ダウンロードで接点ができた、まだ商談になっていない見込み客。[未知](stage:unaware)から[興味関心](stage:interest)までの段階にいる。"),
    ("プロスペクト", "ぷろすぺくと", "解決策を具体的に探し始め、商談として向き合っている見込み客。[情報収集](stage:research)から[購買](stage:purchase)までの段階にいる。"),
    ("MQL", "えむきゅーえる", "Marketing Qualified Lead。[マーケティング](department:marketing)が「営業が話す価値がある」と判定したリード。"),
    ("SQL", "えすきゅーえる", "Sales Qualified Lead。[インサイドセールス](department:inside-sales)が課題と時期を確認し、商談として渡すと決めたリード。"),
    ("DMU", "でぃーえむゆー", "Decision Making Unit。決裁者・影響者・利用者・ゲートキーパーからなる、購買の意思決定に関わる人々。"),
    ("チャンピオン", "ちゃんぴおん", "顧客社内で解決策の価値を信じ、導入を推し進めてくれる人。推進者とも呼ぶ。"),
    ("稟議", "りんぎ", "決裁権者の承認を得るための社内手続き。起案から決裁まで**2〜6週間**かかることが多い。"),
    ("棚卸", "たなおろし", "IT資産の現物と台帳を突き合わせる作業。年1回、監査の前に行う会社が多い。"),
    ("情シス", "じょうしす", "情報システム部門。中堅製造業では2〜5名で全社のIT を支えていることが多い。"),
    ("IT資産管理", "あいてぃーしさんかんり", "PC・サーバー・ソフトウェア・クラウドの契約を台帳で一元管理し、ライフサイクルを追うこと。"),
    ("SaaS", "さーす", "インターネット経由で利用するソフトウェア。契約と利用者の管理が部門ごとに散らばりやすい。"),
    ("ライセンス", "らいせんす", "ソフトウェアの利用権。保有数と利用数の差が、監査での指摘やムダな支出につながる。"),
    ("シャドーIT", "しゃどーあいてぃー", "情シスが把握していないまま現場で使われているIT機器やクラウドサービス。"),
    ("BANT", "ばんと", "Budget・Authority・Need・Timeframe。商談化の判断に使う4つの確認項目。"),
    ("MEDDIC", "めでぃっく", "Metrics・Economic buyer・Decision criteria・Decision process・Identify pain・Champion。大型商談の見極めの枠組み。"),
    ("ナーチャリング", "なーちゃりんぐ", "まだ検討時期にないリードに、役立つ情報を届けて関係を育てること。"),
    ("ウェビナー", "うぇびなー", "オンラインで行うセミナー。録画を資料と一緒に配信することが多い。"),
    ("ホワイトペーパー", "ほわいとぺーぱー", "課題と解決の考え方をまとめた資料。ダウンロードの際に連絡先をいただく。"),
    ("商談化", "しょうだんか", "リードが具体的な検討の場を持つことに合意し、商談として登録されること。"),
    ("PoC", "ぴーおーしー", "Proof of Concept。本番導入の前に、限られた範囲で効果と実現性を確かめること。"),
    ("トライアル", "とらいある", "無償の試用期間。期間中の利用状況が受注率を大きく左右する。"),
    ("オンボーディング", "おんぼーでぃんぐ", "契約後、顧客が製品を使いこなして成果を出すまでの立ち上げ支援。[利用](stage:usage)の段階の中心。"),
    ("ヘルススコア", "へるすすこあ", "ログイン率や機能の利用状況から、顧客の健全度を点数にしたもの。"),
    ("チャーン", "ちゃーん", "解約。率で見るときはチャーンレートと呼ぶ。"),
    ("アップセル", "あっぷせる", "既存の顧客に、より上位のプランや追加の数量を提案すること。"),
    ("クロスセル", "くろすせる", "既存の顧客に、関連する別の製品を提案すること。"),
    ("NRR", "えぬあーるあーる", "Net Revenue Retention。既存顧客からの売上が1年でどれだけ増減したかの比率。"),
    ("ARR", "えーあーるあーる", "Annual Recurring Revenue。年間の継続売上。"),
    ("LTV", "えるてぃーぶい", "Life Time Value。一社の顧客が契約期間を通じてもたらす売上。"),
    ("ROI", "あーるおーあい", "投資対効果。稟議では3年間の効果と費用で示すことが多い。"),
    ("TCO", "てぃーしーおー", "Total Cost of Ownership。導入・運用・教育を含めた総保有コスト。"),
    ("RFP", "あーるえふぴー", "Request for Proposal。提案依頼書。要件と評価基準が書かれている。"),
    ("相見積", "あいみつ", "複数の会社から見積をとって比べること。購買部門の規程で求められることが多い。"),
    ("決裁者", "けっさいしゃ", "予算を承認し、最終的に導入を決める人。中堅製造業では管理本部長や社長が多い。"),
    ("キーマン", "きーまん", "商談の行方に大きな影響を持つ人。決裁者とは限らない。"),
    ("エージェント", "えーじぇんと", "PCに入れてハードウェアとソフトウェアの情報を自動で集める常駐プログラム。"),
    ("資産台帳", "しさんだいちょう", "IT資産の一覧。機器・利用者・設置場所・契約・保守期限を記録する。"),
    ("ゼロトラスト", "ぜろとらすと", "社内外を問わず、すべての接続を検証するという考え方のセキュリティ。"),
    ("内部監査", "ないぶかんさ", "社内の監査部門による業務の点検。IT資産の管理状況は毎年の対象になりやすい。"),
    ("更新率", "こうしんりつ", "契約の更新時期を迎えた顧客のうち、更新した顧客の割合。"),
]
TERMS = [g[0] for g in GLOSSARY]
assert len(TERMS) == 40 and len(set(TERMS)) == 40

# ---------------------------------------------------------------------------------------------
# Phrase lists for journey cells. A cell is one or two sentences A + B + C; {term} marks a
# glossary term. B phrases may be set in bold, so none starts or ends with punctuation.

CELL = {
    "problem": (
        ["情シスの担当者が", "少人数の{情シス}が", "工場ごとの管理担当が", "総務と{情シス}が", "拠点の責任者が",
         "経理の担当者が", "兼任の管理者が", "本社の管理部門が"],
        ["PCと{ライセンス}の台帳をExcelで別々に管理しており", "年1回の{棚卸}に3週間以上かかっており",
         "{SaaS}の契約が部門ごとに散らばっていて", "退職者のアカウントが残ったままになっていて",
         "{資産台帳}と現物が合わないまま決算期を迎えていて", "{シャドーIT}の実態をつかめておらず",
         "保守期限の切れたサーバーを把握しきれておらず", "{内部監査}で同じ指摘を2年続けて受けていて",
         "取引先から求められるセキュリティ自己評価に答えられず", "{稟議}の差し戻しが続いていて"],
        ["本来の改善業務に時間を割けない。", "監査のたびに手戻りが発生している。", "担当者の残業が増え続けている。",
         "経営層への説明に苦労している。", "費用のムダがどこにあるか分からない。", "属人化が進み、引き継ぎができない。",
         "現場からの問い合わせに追われている。", "取引先の信頼を失うのではと不安が募っている。"],
    ),
    "thinking": (
        ["正直なところ、", "担当としては、", "上司の手前、", "これまでの経験から、", "他社の話を聞いて、", "予算の時期を前に、",
         "監査の指摘を受けて、", "現場の声を聞くと、"],
        ["今のやり方でもなんとか回っている", "人を増やさずに仕組みで解決したい", "{IT資産管理}の専用ツールは大げさだ",
         "{棚卸}の手間だけでも減らしたい", "導入しても現場が使わないのではないか", "{TCO}で見れば割に合うのかもしれない",
         "クラウドに資産情報を預けるのは心配だ", "決裁者にどう説明すればよいか分からない", "失敗したときの責任が自分に来る",
         "同規模の会社の事例を知りたい"],
        ["と感じている。", "と考え始めている。", "と迷っている。", "と自分に言い聞かせている。", "という思いが強い。",
         "と上司に漏らしている。"],
    ),
    "action": (
        ["業務の合間に、", "週末に、", "定例会議のあとで、", "上司の指示を受けて、", "展示会の帰りに、", "月末の締めを終えてから、",
         "{棚卸}の準備と並行して、", "取引先との打ち合わせを受けて、"],
        ["比較サイトで{IT資産管理}ツールを調べる", "{ホワイトペーパー}をダウンロードする", "{ウェビナー}に参加する",
         "同業の知人に使っているツールを聞く", "{RFP}のひな形を探す", "{相見積}の依頼先を絞り込む",
         "{トライアル}の申し込みフォームを開く", "現状の台帳の項目を洗い出す", "上司に報告用のメモを書く",
         "{稟議}書の下書きを始める"],
        ["。", "が、結論は出ない。", "。メモは共有フォルダに残す。", "。気になった点を付箋に書き出す。",
         "。翌週の定例で共有するつもりだ。", "が、途中で別の業務に呼ばれる。"],
    ),
    "information": (
        ["主な情報源は", "よく目を通すのは", "頼りにしているのは", "最近気になっているのは", "上司が参考にしているのは",
         "判断の材料になるのは"],
        ["業界団体のガイドラインと経済紙の特集", "同業の情シス仲間とのオンライン勉強会", "ベンダーの{ウェビナー}と導入事例",
         "比較サイトのレビューと{ホワイトペーパー}", "監査法人からの通達と{内部監査}の報告書", "展示会で集めたパンフレット",
         "取引先から届くセキュリティ要求の資料", "営業担当からのメールと提案資料", "社内の{稟議}の過去事例",
         "SNSで見かけた{ゼロトラスト}の解説記事"],
        ["だ。", "で、時間のあるときに読む。", "で、要点だけを拾い読みする。", "で、上司にも転送している。",
         "で、気になる記事は保存しておく。"],
    ),
    "key_factor": (
        ["まず、", "何よりも、", "この段階では、", "最低限、", "上司の理解を得るために、", "次に進む前に、"],
        ["現状の管理コストを数字で示せること", "{決裁者}が課題を経営リスクとして認識すること",
         "{チャンピオン}となる課長の後押しを得ること", "{ROI}の試算が社内の基準を満たすこと",
         "{PoC}で効果を確かめられること", "{DMU}の全員が判断軸を共有すること", "予算の枠が確保されること",
         "移行の負担が小さいと納得できること", "同規模の製造業の事例に触れること", "{SQL}として商談化の合意がとれること"],
        ["が欠かせない。", "が条件になる。", "が決め手になる。", "が求められる。", "が何より大切だ。"],
    ),
    "experience": (
        ["この段階では、", "担当者に対して、", "課長と一緒に、", "決裁者に向けて、"],
        ["台帳管理の限界に気づくきっかけ", "同規模企業の具体的な成果", "費用と効果の目安が1枚で分かる資料",
         "社内説明にそのまま使える比較表", "移行の手間を肩代わりする支援", "成果を実感できる四半期の振り返り"],
        ["を届ける。", "を一緒につくる。", "を先回りして用意する。"],
    ),
}

TOUCHPOINTS = [
    "業界メディアの記事", "比較サイト", "ウェビナー", "展示会のブース", "ホワイトペーパー", "導入事例ページ",
    "インサイドセールスの電話", "初回訪問", "デモ", "トライアル環境", "見積書", "提案書", "契約書",
    "キックオフミーティング", "オンボーディング動画", "ヘルプセンター", "四半期レビュー", "ユーザー会",
    "ニュースレター", "料金ページ",
]

TASKS = {
    "marketing": ["製造業の情シス向けに「{棚卸}の手間を半分にする」{ホワイトペーパー}を配信する",
                  "業界団体と共催で{IT資産管理}の{ウェビナー}を開く", "展示会で名刺を交換した{リード}にお礼のメールを送る",
                  "同規模の製造業の導入事例を記事にして公開する", "{ナーチャリング}のメールシナリオを見直す",
                  "{MQL}の判定基準を四半期ごとに見直す"],
    "inside-sales": ["{MQL}に24時間以内に初回の電話をかける", "{BANT}を確認して商談メモに残す",
                     "{商談化}したリードの背景をフィールドセールスに引き継ぐ", "時期尚早のリードをマーケティングに戻す",
                     "{ウェビナー}参加者に個別の相談会を案内する", "過去の失注先に近況を伺う"],
    "field-sales": ["{MEDDIC}の6項目を確認する初回訪問を行う", "{チャンピオン}と一緒に{稟議}書の骨子をつくる",
                    "顧客の環境でデモを行い、{棚卸}の時間を試算する", "{決裁者}向けの1枚提案書を用意する",
                    "{PoC}の評価基準を顧客と合意する", "受注後の引き継ぎシートを記入する"],
    "customer-success": ["キックオフで60日間の{オンボーディング}計画を合意する", "{エージェント}の展開状況を週次で確認する",
                         "{ヘルススコア}の低い顧客に個別の支援を行う", "四半期レビューで成果を数字で報告する",
                         "{アップセル}の候補を営業と共有する", "導入事例の取材を依頼する"],
}

TASK_KPIS = {
    "marketing": ["資料DL 月80件", "ウェビナー参加 100名", "MQL 月120件", "メール開封率 35%", "事例記事の閲覧 月500件"],
    "inside-sales": ["初回架電 24時間以内 90%", "SQL 月30件", "商談化率 25%", "リサイクル再活性 月30件"],
    "field-sales": ["初回訪問から提案まで 30日以内", "受注率 20%", "提案書の役員閲覧率 60%", "PoC 合格率 80%"],
    "customer-success": ["オンボーディング完了 60日以内 90%", "ヘルススコア 70点以上 85%", "年間更新率 95%", "事例公開 四半期2件"],
}

# ---------------------------------------------------------------------------------------------
# Personas

# (id slug, name, role, summary); some slugs are Japanese, as ids may be.
ROLES = [
    ("情シス課長", "情報システム部 課長", "champion", "全社のIT資産とセキュリティ対策を少人数で担う現場の責任者"),
    ("it-staff", "情報システム部 担当", "user", "PCの手配から棚卸、問い合わせ対応までを一人でこなす実務担当"),
    ("cfo", "取締役 管理本部長", "decision-maker", "経理・総務・情報システムを統括し、IT投資の最終決裁を握る"),
    ("経理部長", "経理部 部長", "influencer", "固定資産とソフトウェア費用の計上を見ており、監査対応の窓口になる"),
    ("soumu", "総務課長", "influencer", "備品とリース契約を管理し、情シスと資産の境界を分け合っている"),
    ("工場管理課長", "工場 管理課長", "user", "工場のPCと生産設備の端末を管理し、本社の方針を現場に落とし込む"),
    ("purchasing", "購買部 担当", "gatekeeper", "相見積と取引先の審査を担い、契約条件のとりまとめを行う"),
    ("経営企画室長", "経営企画室 室長", "influencer", "中期経営計画の進捗を管理し、全社のDX施策を取りまとめる"),
    ("audit", "内部監査室 室長", "influencer", "毎年の内部監査でIT資産の管理状況を点検している"),
    ("社長", "代表取締役社長", "decision-maker", "取引先の要求と人手不足の両方に頭を悩ませている創業家の二代目"),
]
INDUSTRIES = ["精密部品メーカー", "食品メーカー", "化学メーカー", "物流会社", "建設会社", "電子部品メーカー",
              "自動車部品メーカー", "医療機器メーカー", "産業機械メーカー", "印刷会社"]
SIZES = ["従業員300名", "従業員450名", "従業員600名", "従業員850名", "従業員1,200名", "従業員2,000名"]
SITES = ["国内2工場", "国内3工場", "国内5拠点", "国内4工場と海外1工場", "本社と物流センター"]
ORGS = ["機能別組織", "事業部制", "マトリクス組織"]

GOALS = ["監査法人や取引先のセキュリティ要求に確実に応えたい", "ソフトウェアとクラウドの支出を見える化したい",
         "{棚卸}にかかる時間を半分にしたい", "管理部門の人員を増やさずに事業の拡大を支えたい",
         "退職者のアカウントを確実に止めたい", "{資産台帳}を一本化して属人化をなくしたい",
         "{内部監査}の指摘をゼロにしたい", "現場からの問い合わせを減らしたい"]
CONCERNS = ["投資対効果が曖昧なまま固定費が積み上がること", "現場が使わず、ツールだけが残ること",
            "クラウドに資産情報を預けるセキュリティ上のリスク", "移行作業で通常業務が止まること",
            "ベンダーの担当者が頻繁に変わること", "既存の資産管理ソフトと二重管理になること",
            "{稟議}が通らず、検討の時間がムダになること"]

BG_A = ["中期経営計画では「管理部門の生産性向上」が掲げられており、", "昨年の{内部監査}で{ライセンス}の超過を指摘され、",
        "主要取引先の自動車メーカーからセキュリティ自己評価を毎年求められており、", "前任者の退職で台帳の管理を急に引き継ぐことになり、",
        "テレワークの拡大でPCの持ち出しが増え、", "工場の増設に合わせて端末が3割増え、"]
BG_B = ["{IT資産管理}の見直しが急務になっている。", "Excelの台帳では追いつかないと感じている。",
        "{情シス}の負担がこれ以上増えることを心配している。", "経営層からも改善の計画を求められている。",
        "{棚卸}のやり方を根本から変えたいと考えている。"]
CARE = ["お金と、リスクと、人の話", "判断の材料が1枚で見えること", "現場の手間が本当に減るかどうか", "同規模の製造業での実績",
        "導入後に相談できる相手がいること", "監査で説明できる記録が残ること", "既存のシステムとつながること", "数字で示された効果"]
TALK = ["結論から話し、根拠とリスクを順に添える", "数字は年額と3年総額で示す", "専門用語を避け、業務の言葉で話す",
        "デモは課題に関係する画面だけに絞る", "宿題を持ち帰り、翌営業日に回答する", "上司への説明資料をこちらで用意する"]
DONT = ["画面のデモや機能一覧で時間を使う", "課長の頭越しに条件の話をする", "他社製品の悪口を言う",
        "初回で決裁者に会わせてほしいと頼む", "{稟議}の時期を急かす"]

# ---------------------------------------------------------------------------------------------
# Playbooks

PLAYBOOK_KINDS = [
    ("talk", "トークスクリプト"),
    ("hearing", "ヒアリング項目"),
    ("objections", "懸念への答え方"),
]
PB_AIM = ["この段階の顧客は、まだ社内で課題を言葉にできていません。", "顧客は比較の軸を探しています。",
          "社内の合意づくりがいちばんの山場です。", "顧客は小さな成功体験を求めています。"]
PB_TALK = ["本日は製品のご説明の前に、棚卸の現状を詳しく伺えればと思います。",
           "同じ規模の製造業で、棚卸を3週間から4日に縮めた例があります。御社でも当てはまるか一緒に確かめさせてください。",
           "稟議に必要な資料は、こちらで下書きをご用意します。課長のお言葉で直していただければ十分です。",
           "導入の最初の1か月は手間が増えます。その分、弊社の担当者が移行作業を肩代わりします。"]
PB_QUESTIONS = [("現状", "台帳はどなたが、どの形式で管理されていますか。"),
                ("時間", "棚卸は何人で何日かかっていますか。"),
                ("費用", "ソフトウェアとクラウドの年間の支出はどれくらいですか。"),
                ("決裁", "最終的に予算を承認されるのはどなたですか。"),
                ("時期", "稟議はいつ頃、どなたを経由して上がりますか。"),
                ("基準", "比較されている製品と、重視される基準を教えてください。"),
                ("監査", "前回の監査で、どんな指摘を受けましたか。"),
                ("成功", "何がどうなれば、この取り組みは成功と言えますか。")]
PB_OBJECTIONS = [("「既存の資産管理ソフトと二重管理になる」", "エージェントの収集データを取り込み、台帳は一本化できます。"),
                 ("「部下の負担が増えるのでは」", "移行の最初の1か月は増えますが、弊社が移行作業を肩代わりします。"),
                 ("「クラウドに預けるのが心配」", "第三者認証の報告書と、データの保管場所の資料をお渡しします。"),
                 ("「費用が高い」", "3年総額と、棚卸の工数削減を並べて比べていただけます。"),
                 ("「今は時期ではない」", "次の監査の時期から逆算すると、いつまでに始めればよいかを一緒に整理します。")]
PB_CHECKS = ["商談メモに今回の要点を記入した", "次回の日程を顧客と合意した", "宿題の一覧を顧客に送った",
             "DMU の顔ぶれを図にした", "上司に温度感を共有した", "関連する事例資料を送付した",
             "CRM の段階を更新した", "引き継ぎ先の部門に連絡した"]


# ---------------------------------------------------------------------------------------------
# Text helpers

def q(s):
    """A TOML basic string (JSON string syntax is a subset of it for our text)."""
    return json.dumps(s, ensure_ascii=False)


def qlist(xs):
    return "[" + ", ".join(q(x) for x in xs) + "]"


def fill_terms(text, rng, p_link):
    """Replace each {term} by the term, as a glossary link with probability p_link."""
    out = []
    i = 0
    while True:
        j = text.find("{", i)
        if j < 0:
            out.append(text[i:])
            return "".join(out)
        k = text.index("}", j)
        term = text[j + 1:k]
        out.append(text[i:j])
        out.append(f"[{term}](glossary:{term})" if rng.random() < p_link else term)
        i = k + 1


def plain_len(text):
    return len(text.replace("{", "").replace("}", ""))


# What goes between the B and C parts of a sentence, per row.
JOIN = {"problem": "、"}


def sentence(rng, row, bold, used=None):
    """A + B + C; B is not one of `used` (which it is added to) and is bold if asked."""
    a, b, c = CELL[row]
    mid = rng.choice(b)
    while used is not None and mid in used:
        mid = rng.choice(b)
    if used is not None:
        used.add(mid)
    if bold:
        mid = f"**{mid}**"
    return rng.choice(a) + mid + JOIN.get(row, "") + rng.choice(c)


def cell(rng, row, stage_index, lo=60, hi=120):
    """A cell of lo..hi visible characters (link targets and bold markers aside)."""
    for _ in range(20):
        prefix, prefix_visible = "", 0
        if row == "key_factor" and stage_index + 1 < len(STAGES) and rng.random() < 0.35:
            nxt = STAGE_IDS[stage_index + 1]
            prefix = f"[{STAGE_NAME[nxt]}](stage:{nxt})へ進むには、"
            prefix_visible = len(f"{STAGE_NAME[nxt]}へ進むには、")
        elif row in ("problem", "thinking") and stage_index > 0 and rng.random() < 0.08:
            prv = STAGE_IDS[stage_index - 1]
            prefix = f"[{STAGE_NAME[prv]}](stage:{prv})の段階から引き続き、"
            prefix_visible = len(f"{STAGE_NAME[prv]}の段階から引き続き、")
        used = set()
        parts = [sentence(rng, row, rng.random() < 0.2, used)]
        while plain_len("".join(parts)) + prefix_visible < lo:
            parts.append(sentence(rng, row, rng.random() < 0.1, used))
        body = "".join(parts)
        visible = prefix_visible + plain_len(body.replace("**", ""))
        if lo <= visible <= hi:
            break
    return prefix + fill_terms(body, rng, 0.25)


# ---------------------------------------------------------------------------------------------
# Writers

def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def config():
    out = ['title = "ACME クラウド 営業プレイブック（ベンチマーク）"', 'language = "ja"', 'base_url = "/"',
           'description = "tabiji のベンチマーク用に bench/gen_site.py が生成したサイト。"', ""]
    for pid, name in PHASES:
        out += ["[[phases]]", f"id = {q(pid)}", f"name = {q(name)}", ""]
    for sid, name, summary, phase, owner in STAGES:
        out += ["[[stages]]", f"id = {q(sid)}", f"name = {q(name)}", f"summary = {q(summary)}",
                f"phase = {q(phase)}", f"owner = {q(owner)}", ""]
    for rid, name, desc in ROWS:
        out += ["[[rows]]", f"id = {q(rid)}", f"name = {q(name)}", f"description = {q(desc)}", ""]
    return "\n".join(out)


def department(i):
    did, name, kpis = DEPARTMENTS[i]
    client = DEPT_IDS[(i + 1) % len(DEPT_IDS)]
    supplier = DEPT_IDS[(i - 1) % len(DEPT_IDS)]
    owned = [s for s in STAGES if s[4] == did]
    body = [
        "## ミッション", "",
        f"{'・'.join(f'[{s[1]}](stage:{s[0]})' for s in owned)}の段階にいる顧客を、次の段階へ確実に進める。"
        f"成果は[{DEPT_NAME[client]}](department:{client})に引き渡した案件の質で測る。", "",
        "## 私たちのクライアント", "",
        f"クライアントは{DEPT_NAME[client]}。彼らが私たちを選ぶ理由は、受け取った案件で会話が成り立つかどうかの一点です。", "",
        "## 引き渡しのルール", "",
        "- 引き渡し時に、顧客の課題・時期・関係者を必ず記録する",
        "- 時期尚早で戻ってきた案件は、48時間以内に次の打ち手を決める",
        f"- 判定の基準は[用語集](glossary:{TERMS[2 + i % 2]})の定義にそろえる", "",
        "## 上流へのお願い", "",
        f"{DEPT_NAME[supplier]}からは、顧客の声と失注の理由を月1回もらう。", "",
    ]
    return ("+++\n" f"name = {q(name)}\n" f"clients = {qlist([client])}\n" f"suppliers = {qlist([supplier])}\n"
            f"kpis = {qlist(kpis)}\n" "+++\n" + "\n".join(body))


def persona_id(i):
    return f"{ROLES[i % len(ROLES)][0]}-{i:05d}"


def persona(i, rng):
    slug, name, role, summary = ROLES[i % len(ROLES)]
    company = f"{rng.choice(INDUSTRIES)} / {rng.choice(SIZES)} / {rng.choice(SITES)} / {rng.choice(ORGS)}"
    goals = [fill_terms(g, rng, 0) for g in rng.sample(GOALS, 3)]
    concerns = [fill_terms(c, rng, 0) for c in rng.sample(CONCERNS, 3)]
    stage = rng.choice(STAGE_IDS)
    body = [
        "## 背景", "",
        fill_terms("".join(a + b for a, b in zip(rng.sample(BG_A, 2), rng.sample(BG_B, 2))), rng, 0.5)
        + f"いまは[{STAGE_NAME[stage]}](stage:{stage})の段階にいる顧客が多い。", "",
        "## 一日の過ごし方", "",
        fill_terms(sentence(rng, "action", False) + sentence(rng, "problem", False), rng, 0.5), "",
        "## 大切にしていること", "",
        *[f"- {c}" for c in rng.sample(CARE, 4)], "",
        "## 話し方", "",
        *[f"- {t}" for t in rng.sample(TALK, 3)], "",
        "## やってはいけないこと", "",
        *[f"- {fill_terms(t, rng, 0.5)}" for t in rng.sample(DONT, 2)], "",
        "## メモ", "",
        fill_terms(sentence(rng, "thinking", True) + sentence(rng, "information", False), rng, 0.5), "",
    ]
    return ("+++\n" f"name = {q(f'{name}（{i:05d}）')}\n" f"role = {q(role)}\n" f"summary = {q(summary)}\n"
            f"company = {q(company)}\n" f"goals = {qlist(goals)}\n" f"concerns = {qlist(concerns)}\n"
            "+++\n" + "\n".join(body))


def journey(i, rng):
    pid = persona_id(i)
    out = [f"persona = {q(pid)}", f"name = {q(f'新規導入（{i:05d}）')}", ""]
    for si, sid in enumerate(STAGE_IDS):
        out.append(f"[stages.{sid}]")
        for rid, _, _ in ROWS:
            out.append(f"{rid} = {q(cell(rng, rid, si))}")
        out.append(f"experience = {q(cell(rng, 'experience', si, 30, 90))}")
        out.append(f"touchpoints = {qlist(rng.sample(TOUCHPOINTS, rng.randint(2, 3)))}")
        out.append(f"emotion = {rng.randint(-2, 2)}")
        out.append("")
        owner = STAGE_OWNER[sid]
        depts = [owner] + rng.sample([d for d in DEPT_IDS if d != owner], rng.randint(1, 2))
        for d in depts:
            out += [f"[[stages.{sid}.tasks]]", f"department = {q(d)}",
                    f"task = {q(fill_terms(rng.choice(TASKS[d]), rng, 0.3))}", f"kpi = {q(rng.choice(TASK_KPIS[d]))}", ""]
    return "\n".join(out)


def playbook(si, k, rng, n_personas):
    sid, sname, summary, _, owner = STAGES[si]
    kind, kname = PLAYBOOK_KINDS[k]
    nxt = STAGE_IDS[(si + 1) % len(STAGE_IDS)]
    t1, t2, t3 = rng.sample(TERMS, 3)
    questions = rng.sample(PB_QUESTIONS, 6)
    objections = rng.sample(PB_OBJECTIONS, 4)
    checks = rng.sample(PB_CHECKS, 6)
    # Independent of n once n >= 10, so bigger sites only add persona and journey files.
    example = persona_id((si * len(PLAYBOOK_KINDS) + k) % min(n_personas, 10)) if n_personas else None
    body = [
        "## ねらい", "",
        f"[{sname}](stage:{sid})の段階の顧客は「{summary}」状態にあります。{rng.choice(PB_AIM)}"
        f"このページでは、**{kname}**を使って顧客を[{STAGE_NAME[nxt]}](stage:{nxt})へ進める方法をまとめます。"
        f"用語は[{t1}](glossary:{t1})と[{t2}](glossary:{t2})の定義にそろえます。", "",
        "## 導入のトーク", "",
        *[f"> {t}" for t in rng.sample(PB_TALK, 2)], "",
        "## 聞くこと", "",
        "| 項目 | 質問の例 | 記録する場所 |", "| --- | --- | --- |",
        *[f"| {a} | {b} | 商談メモの「{a}」欄 |" for a, b in questions], "",
        "## よくある懸念と答え方", "",
        "| 懸念 | 答え方 |", "| --- | --- |",
        *[f"| {a} | {b} |" for a, b in objections], "",
        "## 進め方", "",
        f"1. 事前に[{DEPT_NAME[owner]}](department:{owner})の引き継ぎメモを読み、前回までの会話を確かめる",
        "2. 冒頭の5分で、今日の目的と終わりの時刻を顧客と合意する",
        f"3. 聞くことの表を上から順に確かめ、[{t3}](glossary:{t3})に関わる答えは顧客の言葉のまま残す",
        "4. 懸念が出たら否定せず、答え方の表を参考に根拠となる資料を示す",
        "5. 最後に次の一歩と期日を言葉にして、双方の宿題を確認する", "",
    ]
    body += ["## 次の段階へ", "",
             f"顧客が[{STAGE_NAME[nxt]}](stage:{nxt})へ進む準備ができたと判断したら、商談メモと宿題の一覧をそろえて"
             f"[{DEPT_NAME[STAGE_OWNER[nxt]]}](department:{STAGE_OWNER[nxt]})に引き継ぎます。引き継ぎのあとも一度は顧客に連絡し、"
             "担当が変わっても話が途切れないことを伝えます。判断に迷うときは、上のチェックリストがすべて埋まっているかを確かめてください。", ""]
    if example:
        body += ["## 例", "", f"[この段階のペルソナの例](persona:{example})のジャーニーを読み、感情が落ち込む理由を確かめてから臨みます。", ""]
    body += ["## チェックリスト", "", *[f"- [ ] {c}" for c in checks], ""]
    front = ("+++\n" f"title = {q(f'{sname}の{kname}')}\n" f"stage = {q(sid)}\n" f"departments = {qlist([owner])}\n"
             f"order = {(k + 1) * 10}\n" "+++\n")
    return front + "\n".join(body)


def glossary():
    out = []
    for term, reading, definition in GLOSSARY:
        out += ["[[terms]]", f"term = {q(term)}", f"reading = {q(reading)}", f"definition = {q(definition)}", ""]
    return "\n".join(out)


def onboarding(n_personas):
    ps = [persona_id(i) for i in range(min(3, n_personas))]
    steps = [
        ("1日目：言葉をそろえる", ["glossary"] + [f"departments/{d}" for d in DEPT_IDS],
         "まず用語集で **MQL・SQL・チャンピオン・BANT** を押さえ、4つの部門が誰をクライアントにしているかを読みます。"),
        ("2日目：お客さまを知る", [f"personas/{p}" for p in ps] + [f"journeys/{p}-new" for p in ps],
         "同じ会社の人たちです。気にしていることと話し方がどう違うかをメモしてください。"),
    ]
    for a in range(0, len(STAGES), 2):
        s1, s2 = STAGES[a], STAGES[a + 1]
        pages = [f"stages/{s1[0]}", f"playbooks/{s1[0]}-talk", f"stages/{s2[0]}", f"playbooks/{s2[0]}-hearing"]
        steps.append((f"{s1[1]}と{s2[1]}", pages, f"[{s1[1]}](stage:{s1[0]})から[{s2[1]}](stage:{s2[0]})へ、顧客の感情の動きを追います。"))
    out = ['title = "新卒 最初の2週間"', ""]
    for title, pages, note in steps:
        out += ["[[steps]]", f"title = {q(title)}", f"pages = {qlist(pages)}", f"note = {q(note)}", ""]
    return "\n".join(out)


def personas_and_journeys(job):
    content, seed, lo, hi = job
    # Creating a file costs more than writing it on some file systems; threads overlap that.
    with ThreadPoolExecutor(4) as ex:
        futures = []
        for i in range(lo, hi):
            prng = random.Random(f"{seed}:persona:{i}")
            pid = persona_id(i)
            futures.append(ex.submit(write, os.path.join(content, "personas", f"{pid}.md"), persona(i, prng)))
            futures.append(ex.submit(write, os.path.join(content, "journeys", f"{pid}-new.toml"), journey(i, prng)))
        for f in futures:
            f.result()  # re-raise a failed write


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--personas", type=int, required=True, help="number of personas (and journeys)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("out", help="site folder to write (tabiji.toml + content/)")
    args = ap.parse_args()
    n = args.personas
    if n < 1:
        ap.error("--personas must be >= 1 (with none, departments have no tasks and check warns)")

    root = args.out
    content = os.path.join(root, "content")
    if os.path.isdir(content):
        shutil.rmtree(content)
    for sub in ("personas", "journeys", "departments", "playbooks"):
        os.makedirs(os.path.join(content, sub))

    write(os.path.join(root, "tabiji.toml"), config())
    for i in range(len(DEPARTMENTS)):
        write(os.path.join(content, "departments", f"{DEPT_IDS[i]}.md"), department(i))
    rng = random.Random(f"{args.seed}:site")
    for si, sid in enumerate(STAGE_IDS):
        for k, (kind, _) in enumerate(PLAYBOOK_KINDS):
            write(os.path.join(content, "playbooks", f"{sid}-{kind}.md"), playbook(si, k, rng, n))
    write(os.path.join(content, "glossary.toml"), glossary())
    write(os.path.join(content, "onboarding.toml"), onboarding(n))
    # Personas and journeys: chunks in parallel processes (each persona has its own seeded
    # generator, so the split changes nothing in the output).
    chunk = 250
    jobs = [(content, args.seed, lo, min(lo + chunk, n)) for lo in range(0, n, chunk)]
    if len(jobs) > 1 and (os.cpu_count() or 1) > 1:
        with multiprocessing.Pool(min(os.cpu_count(), len(jobs))) as pool:
            for _ in pool.imap_unordered(personas_and_journeys, jobs):
                pass
    else:
        for job in jobs:
            personas_and_journeys(job)
    print(f"wrote {n} personas, {n} journeys, {len(STAGES) * len(PLAYBOOK_KINDS)} playbooks, "
          f"{len(DEPARTMENTS)} departments, {len(GLOSSARY)} glossary terms into {root}", file=sys.stderr)


if __name__ == "__main__":
    main()
