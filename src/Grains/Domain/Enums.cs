namespace KeyProjects.Grains.Domain;

/// <summary>项目阶段: the rolling pipeline 储备 → 在谈 → 签约 → 前期 → 在建 → 竣工 → 投产, plus 停缓建.</summary>
public enum ProjectStage
{
    Reserve,            // 谋划储备
    Negotiating,        // 在谈
    Signed,             // 签约
    Preparatory,        // 前期
    UnderConstruction,  // 在建
    Completed,          // 竣工
    InOperation,        // 投产
    Suspended,          // 停缓建
}

/// <summary>项目类别.</summary>
public enum ProjectCategory
{
    Industrial,      // 产业类
    Infrastructure,  // 基础设施
    Social,          // 民生
    Ecological,      // 生态环保
    CultureTourism,  // 文旅
}

/// <summary>建设性质: 新建 / 技改 / 扩建.</summary>
public enum ProjectType
{
    New,
    Renovation,
    Expansion,
}

/// <summary>省重点 / 市重点.</summary>
public enum ProjectLevel
{
    Provincial,
    City,
}

/// <summary>部门 or 镇街.</summary>
public enum DepartmentKind
{
    Department,
    Town,
}

/// <summary>The state of a coordination problem in its closed loop (问题闭环).</summary>
public enum ProblemStatus
{
    Unrouted,             // 待分办: raised or returned, waiting for the office to route it
    AwaitingRuling,       // 待裁定: returned a second time, waiting for the office's binding ruling
    Routed,               // 待认领: routed to a lead department, not yet claimed
    InProgress,           // 办理中: claimed by the lead department
    ResolutionSubmitted,  // 待销号: resolution submitted (办结), awaiting verification
    Closed,               // 已销号: verified and closed
}

/// <summary>问题类别.</summary>
public enum ProblemCategory
{
    Land,             // 用地
    Funds,            // 资金
    Approvals,        // 审批手续
    Energy,           // 能耗指标
    Environment,      // 环评/环境容量
    Demolition,       // 征地拆迁
    Utilities,        // 水电气配套
    SiteEnvironment,  // 施工环境
    Other,            // 其他
}

/// <summary>Who a user is in the command centre.</summary>
public enum Role
{
    Leadership,       // 领导小组 / 包联领导
    Office,           // 领导小组办公室 (项目办)
    Department,       // 部门 / 镇街
    ProjectReporter,  // 项目业主
    BigScreen,        // 指挥大屏
    Admin,            // 系统管理员
}

/// <summary>How a department is involved in a problem.</summary>
public enum Involvement
{
    Lead,       // 牵头单位
    Assisting,  // 配合单位
    Former,     // 原牵头单位: led it before a return or re-routing
}

/// <summary>问题紧急程度: with the category it sets the default deadlines.</summary>
public enum ProblemSeverity
{
    Normal,  // 一般
    Major,   // 重大
    Urgent,  // 紧急
}

/// <summary>Why a lead department returns a problem (退回理由).</summary>
public enum ReturnReason
{
    Territory,  // 不属本辖区
    Ownership,  // 不属本单位权属
    Function,   // 不属本单位职能
}

/// <summary>预警灯.</summary>
public enum WarningLight
{
    Green,
    Yellow,
    Red,
}
